using RecordKv.Atproto.Firehose;

namespace RecordKv.Builder;

/// <summary>The <c>reason</c> tag of rejection counters: a failed verification check or an input problem.</summary>
public static class RejectionReasons
{
    /// <summary>The frame could not be decoded.</summary>
    public const string Malformed = "malformed";

    /// <summary>The DID could not be resolved to a document with a signing key.</summary>
    public const string Identity = "identity";

    /// <summary>A resync could not fetch or verify the repository.</summary>
    public const string ResyncFailed = "resync-failed";

    /// <summary>The PDS does not serve the repository (not found, deactivated, taken down): not a fault of ours.</summary>
    public const string RepoUnavailable = "repo-unavailable";

    /// <summary>The reason for a failed commit check: the check's name in kebab-free lower case.</summary>
    public static string Of(CommitCheck check) => check switch
    {
        CommitCheck.Signature => "signature",
        CommitCheck.Limits => "limits",
        CommitCheck.EventFields => "event-fields",
        CommitCheck.Car => "car",
        CommitCheck.CommitBlock => "commit-block",
        CommitCheck.Did => "did",
        CommitCheck.Version => "version",
        CommitCheck.Rev => "rev",
        CommitCheck.FutureRev => "future-rev",
        CommitCheck.Operations => "operations",
        CommitCheck.RecordBlocks => "record-blocks",
        CommitCheck.Inversion => "inversion",
        _ => check.ToString().ToLowerInvariant(),
    };
}
