using System.Text.Json;

namespace RecordKv.Pipeline.Tests;

/// <summary>What one run of refnet's <c>drive.mjs</c> wrote: the ground truth the record store is compared against.</summary>
internal sealed record RefNetDriveSummary
{
    /// <summary>Every record that exists on the PDS at the end (at-uri), including deactivated accounts' records.</summary>
    public required IReadOnlyList<string> ExpectedRecordUris { get; init; }

    /// <summary>at-uri → record CID for the accounts that are active at the end.</summary>
    public required IReadOnlyDictionary<string, string> ExpectedRecords { get; init; }

    /// <summary>The accounts created (DIDs).</summary>
    public required IReadOnlyList<string> Dids { get; init; }

    /// <summary>The accounts deactivated and left so at the end.</summary>
    public required IReadOnlyList<string> LeftDeactivated { get; init; }

    /// <summary>The accounts deactivated and then reactivated.</summary>
    public required IReadOnlyList<string> Reactivated { get; init; }

    /// <summary>The frames this run puts on a fresh PDS's firehose (#commit + #identity + #account + #sync).</summary>
    public required long ExpectedFrames { get; init; }

    /// <summary>Reads drive.mjs's <c>--out</c> JSON.</summary>
    public static RefNetDriveSummary Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var records = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var record in root.GetProperty("expectedRecords").EnumerateObject())
        {
            records[record.Name] = record.Value.GetString()!;
        }

        var firehose = root.GetProperty("expectedFirehose");
        return new RefNetDriveSummary
        {
            ExpectedRecordUris = [.. root.GetProperty("expectedRecordUris").EnumerateArray().Select(u => u.GetString()!)],
            ExpectedRecords = records,
            Dids = [.. root.GetProperty("accounts").EnumerateArray().Select(a => a.GetProperty("did").GetString()!)],
            LeftDeactivated = [.. root.GetProperty("deactivations").EnumerateArray().Where(d => !d.GetProperty("reactivated").GetBoolean()).Select(d => d.GetProperty("did").GetString()!)],
            Reactivated = [.. root.GetProperty("deactivations").EnumerateArray().Where(d => d.GetProperty("reactivated").GetBoolean()).Select(d => d.GetProperty("did").GetString()!)],
            ExpectedFrames = firehose.GetProperty("commit").GetInt64() + firehose.GetProperty("identity").GetInt64()
                + firehose.GetProperty("account").GetInt64() + firehose.GetProperty("sync").GetInt64(),
        };
    }
}
