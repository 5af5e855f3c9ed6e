using System.Text.Json;
using RecordKv.Cli.Output;
using RecordKv.Cli.Repositories;

namespace RecordKv.Cli.Tests;

public sealed class RepositoryJsonTests
{
    [Fact]
    public void WriteReport_V3Repository_AllFieldsAsNamed()
    {
        var report = new RepositoryReport("did:plc:abc", "3jzfcijpj2z2a", 3, "bafyreicommit", "bafyreidata", 38, 90, 0, SignatureStatus.Valid);

        using var json = JsonDocument.Parse(WriteLine(writer => RepositoryJson.WriteReport(writer, report)));

        var root = json.RootElement;
        root.GetProperty("did").GetString().ShouldBe("did:plc:abc");
        root.GetProperty("rev").GetString().ShouldBe("3jzfcijpj2z2a");
        root.GetProperty("version").GetInt32().ShouldBe(3);
        root.GetProperty("commit").GetString().ShouldBe("bafyreicommit");
        root.GetProperty("data").GetString().ShouldBe("bafyreidata");
        root.GetProperty("records").GetInt32().ShouldBe(38);
        root.GetProperty("blocks").GetInt32().ShouldBe(90);
        root.GetProperty("unreachableBlocks").GetInt32().ShouldBe(0);
        root.GetProperty("signature").GetString().ShouldBe("valid");
    }

    [Fact]
    public void WriteReport_V2RepositoryUnchecked_RevNull()
    {
        var report = new RepositoryReport("did:plc:abc", null, 2, "c", "d", 1, 2, 0, SignatureStatus.Unchecked);

        using var json = JsonDocument.Parse(WriteLine(writer => RepositoryJson.WriteReport(writer, report)));

        json.RootElement.GetProperty("rev").ValueKind.ShouldBe(JsonValueKind.Null);
        json.RootElement.GetProperty("signature").GetString().ShouldBe("unchecked");
    }

    [Fact]
    public void WriteRecord_NonAsciiValue_OneLineKeptReadable()
    {
        var line = WriteLine(writer => RepositoryJson.WriteRecord(
            writer,
            "at://did:plc:abc/app.bsky.feed.post/3k",
            "bafyreirecord",
            value => value.WriteStringValue("héllo\nwörld 🦋")));

        line.ShouldNotContain('\n');
        line.ShouldContain("héllo");
        using var json = JsonDocument.Parse(line);
        json.RootElement.GetProperty("value").GetString().ShouldBe("héllo\nwörld 🦋");
        json.RootElement.GetProperty("uri").GetString().ShouldBe("at://did:plc:abc/app.bsky.feed.post/3k");
    }

    private static string WriteLine(Action<Utf8JsonWriter> write)
    {
        using var output = new StringWriter();
        new JsonLines(output).WriteLine(write);
        var text = output.ToString();
        text.ShouldEndWith(Environment.NewLine);
        return text.TrimEnd('\r', '\n');
    }
}
