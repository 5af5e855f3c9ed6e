using System.Text.Json;
using RecordKv.Cli.Repositories;

namespace RecordKv.Cli.Output;

/// <summary>The JSON shapes the <c>repo</c> verbs print.</summary>
internal static class RepositoryJson
{
    /// <summary>Writes the <c>repo inspect</c> object; <c>rev</c> is null for a v2 repository, which has none.</summary>
    public static void WriteReport(Utf8JsonWriter writer, RepositoryReport report)
    {
        writer.WriteStartObject();
        writer.WriteString("did", report.Did);
        if (report.Rev is null)
        {
            writer.WriteNull("rev");
        }
        else
        {
            writer.WriteString("rev", report.Rev);
        }

        writer.WriteNumber("version", report.Version);
        writer.WriteString("commit", report.Commit);
        writer.WriteString("data", report.Data);
        writer.WriteNumber("records", report.Records);
        writer.WriteNumber("blocks", report.Blocks);
        writer.WriteNumber("unreachableBlocks", report.UnreachableBlocks);
        writer.WriteString("signature", report.Signature switch
        {
            SignatureStatus.Valid => "valid",
            SignatureStatus.Invalid => "invalid",
            _ => "unchecked",
        });
        writer.WriteEndObject();
    }

    /// <summary>Writes one <c>repo ls</c> line: the record's AT-URI, its CID and its value as atproto JSON.</summary>
    public static void WriteRecord(Utf8JsonWriter writer, string uri, string cid, Action<Utf8JsonWriter> writeValue)
    {
        writer.WriteStartObject();
        writer.WriteString("uri", uri);
        writer.WriteString("cid", cid);
        writer.WritePropertyName("value");
        writeValue(writer);
        writer.WriteEndObject();
    }
}
