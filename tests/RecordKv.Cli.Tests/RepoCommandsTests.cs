using System.Text.Json;
using System.Text.Json.Nodes;
using RecordKv.Atproto.Syntax;
using RecordKv.Testing;

namespace RecordKv.Cli.Tests;

public sealed class RepoCommandsTests : IDisposable
{
    private const string Bnewbold = "bnewbold.robocracy.org.20250310005405.car";
    private const string Greenground = "greenground.repo.car";
    private const string PaulStaging = "paul_staging.repo.car";

    private readonly DirectoryInfo _scratch = Directory.CreateTempSubdirectory("recordkv-cli-tests-");

    // Expected figures from the fixtures' PROVENANCE.md (decoded independently of this code).
    public static TheoryData<string, string?, string, int, int, int, int, string> RealExports => new()
    {
        { Bnewbold, null, "did:plc:nhxcyu4ewwhl5pqil4dotqjo", 3, 38, 56, 0, "unchecked" },
        { Greenground, "greenground.didDoc.json", "did:plc:kzcqyc3unb33eh5sxzsfs25z", 3, 2, 4, 0, "valid" },
        { PaulStaging, "paul_staging.didDoc.json", "did:plc:cmpvykrzb2l22kj4ojlv3ox4", 2, 185, 452, 215, "valid" },
    };

    public static TheoryData<string, int> RecordCounts => new()
    {
        { Bnewbold, 38 },
        { Greenground, 2 },
        { PaulStaging, 185 },
    };

    public static TheoryData<string, string> BadInputs => new()
    {
        { "missing-car", "file not found: " },
        { "directory-as-car", "is a directory" },
        { "json-as-car", "not a valid repository export" },
        { "empty-car", "empty.car: not a valid repository export" },
        { "truncated-car", "truncated.car: not a valid repository export" },
        { "missing-did-doc", "file not found: " },
        { "did-doc-not-json", "not valid JSON" },
        { "did-doc-without-key", "no #atproto signing key" },
        { "did-doc-corrupt-key", "not a point on the secp256k1 curve" },
    };

    [Theory]
    [MemberData(nameof(RealExports))]
    public async Task Inspect_RealExport_PrintsOneObjectWithExpectedFigures(
        string car, string? didDocument, string did, int version, int records, int blocks, int unreachable, string signature)
    {
        string[] args = didDocument is null
            ? ["repo", "inspect", RealRepo(car)]
            : ["repo", "inspect", RealRepo(car), "--did-doc", RealRepo(didDocument)];

        var run = await CliRun.RunAsync(args);

        run.ExitCode.ShouldBe(ExitCodes.Success, run.Error);
        using var json = JsonDocument.Parse(run.OutputLines.ShouldHaveSingleItem());
        var root = json.RootElement;
        root.GetProperty("did").GetString().ShouldBe(did);
        root.GetProperty("version").GetInt32().ShouldBe(version);
        root.GetProperty("records").GetInt32().ShouldBe(records);
        root.GetProperty("blocks").GetInt32().ShouldBe(blocks);
        root.GetProperty("unreachableBlocks").GetInt32().ShouldBe(unreachable);
        root.GetProperty("signature").GetString().ShouldBe(signature);
        root.GetProperty("commit").GetString().ShouldStartWith("bafyrei");
        root.GetProperty("data").GetString().ShouldStartWith("bafyrei");
        if (version == 2)
        {
            root.GetProperty("rev").ValueKind.ShouldBe(JsonValueKind.Null);
        }
        else
        {
            Tid.IsValid(root.GetProperty("rev").GetString()).ShouldBeTrue();
        }
    }

    [Fact]
    public async Task Inspect_OtherAccountsDidDocument_SignatureInvalidWithWarning()
    {
        var run = await CliRun.RunAsync("repo", "inspect", RealRepo(PaulStaging), "--did-doc", RealRepo("greenground.didDoc.json"));

        run.ExitCode.ShouldBe(ExitCodes.Success);
        using var json = JsonDocument.Parse(run.OutputLines.ShouldHaveSingleItem());
        json.RootElement.GetProperty("signature").GetString().ShouldBe("invalid");
        run.ErrorLines.ShouldHaveSingleItem().ShouldStartWith("recordkv: warning: ");
    }

    [Theory]
    [MemberData(nameof(RecordCounts))]
    public async Task Ls_RealExport_OneLinePerRecordInKeyOrder(string car, int expectedRecords)
    {
        var run = await CliRun.RunAsync("repo", "ls", RealRepo(car));

        run.ExitCode.ShouldBe(ExitCodes.Success, run.Error);
        run.Error.ShouldBeEmpty();
        run.OutputLines.Length.ShouldBe(expectedRecords);
        string? previousPath = null;
        foreach (var line in run.OutputLines)
        {
            using var json = JsonDocument.Parse(line);
            var uri = AtUri.Parse(json.RootElement.GetProperty("uri").GetString()!);
            uri.Authority.IsDid.ShouldBeTrue();
            var path = $"{uri.Collection}/{uri.RecordKey}";
            if (previousPath is not null)
            {
                string.CompareOrdinal(previousPath, path).ShouldBeLessThan(0);
            }

            previousPath = path;
            CidSyntax.IsValid(json.RootElement.GetProperty("cid").GetString()).ShouldBeTrue();
            json.RootElement.GetProperty("value").ValueKind.ShouldBe(JsonValueKind.Object);
        }
    }

    [Theory]
    [MemberData(nameof(RecordCounts))]
    public async Task Ls_RealExport_SameRecordsAsAtprotoReference(string car, int expectedRecords)
    {
        // tests/js/repo-records.mjs prints the same shape from Bluesky's @atproto/repo and @atproto/lexicon.
        var reference = (await ReferenceScript.RunAsync("repo-records.mjs", RealRepo(car)))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);

        var run = await CliRun.RunAsync("repo", "ls", RealRepo(car));

        run.ExitCode.ShouldBe(ExitCodes.Success, run.Error);
        reference.Length.ShouldBe(expectedRecords);
        run.OutputLines.Length.ShouldBe(reference.Length);
        for (var i = 0; i < reference.Length; i++)
        {
            JsonNode.DeepEquals(JsonNode.Parse(run.OutputLines[i]), JsonNode.Parse(reference[i]))
                .ShouldBeTrue($"line {i}:\n ours: {run.OutputLines[i]}\n theirs: {reference[i]}");
        }
    }

    [Fact]
    public async Task Ls_Greenground_ValuesInAtprotoJson()
    {
        var run = await CliRun.RunAsync("repo", "ls", RealRepo(Greenground));

        using var json = JsonDocument.Parse(run.OutputLines[0]);
        var root = json.RootElement;
        root.GetProperty("uri").GetString().ShouldBe("at://did:plc:kzcqyc3unb33eh5sxzsfs25z/app.bsky.graph.follow/3k5rgfiifs42u");
        root.GetProperty("cid").GetString().ShouldBe("bafyreidaxgtpxv7wq5zilfzo6oqa7zcwqm6jvhzd3fnib3qobvckvs5vfq");
        var value = root.GetProperty("value");
        value.GetProperty("$type").GetString().ShouldBe("app.bsky.graph.follow");
        value.GetProperty("subject").GetString().ShouldBe("did:plc:6fktaamhhxdqb2ypum33kbkj");
        value.GetProperty("createdAt").GetString().ShouldBe("2023-08-25T08:25:39.961Z");
    }

    [Fact]
    public async Task Ls_BlobAndLinks_WrittenAsLinkObjects()
    {
        var run = await CliRun.RunAsync("repo", "ls", RealRepo(Bnewbold));

        var profileLine = run.OutputLines.Single(line => line.Contains("/app.bsky.actor.profile/self\"", StringComparison.Ordinal));
        using var json = JsonDocument.Parse(profileLine);
        var avatar = json.RootElement.GetProperty("value").GetProperty("avatar");
        avatar.GetProperty("$type").GetString().ShouldBe("blob");
        avatar.GetProperty("ref").GetProperty("$link").GetString().ShouldStartWith("bafkrei");
        avatar.GetProperty("size").GetInt64().ShouldBeGreaterThan(0);
    }

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task Inspect_BadInput_OneLineErrorNonZeroExitNoStackTrace(string inputCase, string expectedInError)
    {
        var args = await ArgumentsForAsync(inputCase);

        var run = await CliRun.RunAsync(args);

        run.ExitCode.ShouldBe(ExitCodes.Failure);
        run.Output.ShouldBeEmpty();
        var line = run.ErrorLines.ShouldHaveSingleItem();
        line.ShouldStartWith("recordkv: error: ");
        line.ShouldContain(expectedInError);
        run.Error.ShouldNotContain("   at ");
    }

    public void Dispose() => _scratch.Delete(recursive: true);

    private static string RealRepo(string name) => SharedFixtures.Path("real", "repos", name);

    private async Task<string[]> ArgumentsForAsync(string inputCase)
    {
        var car = RealRepo(PaulStaging);
        switch (inputCase)
        {
            case "missing-car":
                return ["repo", "inspect", Scratch("absent.car")];
            case "directory-as-car":
                return ["repo", "inspect", _scratch.FullName];
            case "json-as-car":
                return ["repo", "inspect", RealRepo("greenground.didDoc.json")];
            case "empty-car":
                await File.WriteAllBytesAsync(Scratch("empty.car"), []);
                return ["repo", "inspect", Scratch("empty.car")];
            case "truncated-car":
                var bytes = await File.ReadAllBytesAsync(car);
                await File.WriteAllBytesAsync(Scratch("truncated.car"), bytes[..(bytes.Length / 2)]);
                return ["repo", "inspect", Scratch("truncated.car")];
            case "missing-did-doc":
                return ["repo", "inspect", car, "--did-doc", Scratch("absent.json")];
            case "did-doc-not-json":
                await File.WriteAllTextAsync(Scratch("not-json.json"), "{\"id\": did:plc:x");
                return ["repo", "inspect", car, "--did-doc", Scratch("not-json.json")];
            case "did-doc-without-key":
                await File.WriteAllTextAsync(Scratch("no-key.json"), "{\"id\": \"did:plc:cmpvykrzb2l22kj4ojlv3ox4\"}");
                return ["repo", "inspect", car, "--did-doc", Scratch("no-key.json")];
            case "did-doc-corrupt-key":
                var document = await File.ReadAllTextAsync(RealRepo("paul_staging.didDoc.json"));
                await File.WriteAllTextAsync(Scratch("corrupt-key.json"), document.Replace("zRUTFu", "zRUTFv", StringComparison.Ordinal));
                return ["repo", "inspect", car, "--did-doc", Scratch("corrupt-key.json")];
            default:
                throw new ArgumentOutOfRangeException(nameof(inputCase), inputCase, "Unknown bad-input case.");
        }
    }

    private string Scratch(string name) => Path.Combine(_scratch.FullName, name);
}
