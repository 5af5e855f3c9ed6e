using System.Text.Json.Serialization;

namespace RecordKv.Coordination;

/// <summary>
/// The durable state of the backfill of one host (control key <c>backfill.run.&lt;host&gt;</c>): a rerun of
/// <c>recordkv backfill</c> resumes listing from <see cref="Cursor"/> under the same <see cref="RunId"/>.
/// </summary>
public sealed record BackfillRunState
{
    /// <summary>The run's id: the prefix of its jobs' Nats-Msg-Id and the key of its progress.</summary>
    [JsonPropertyName("run")]
    public required string RunId { get; init; }

    /// <summary>The host whose repositories are listed.</summary>
    [JsonPropertyName("host")]
    public required string Host { get; init; }

    /// <summary>The listRepos cursor of the next page to list; null before the first page.</summary>
    [JsonPropertyName("cursor")]
    public string? Cursor { get; init; }

    /// <summary>Repositories listed so far (every page completely enqueued).</summary>
    [JsonPropertyName("listed")]
    public long Listed { get; init; }

    /// <summary>Jobs enqueued so far (listed repositories that pass the DID list).</summary>
    [JsonPropertyName("enqueued")]
    public long Enqueued { get; init; }

    /// <summary>Whether listRepos has been paged to its end.</summary>
    [JsonPropertyName("listingComplete")]
    public bool ListingComplete { get; init; }

    /// <summary>The collections the run stores; empty means all.</summary>
    [JsonPropertyName("collections")]
    public IReadOnlyList<string> Collections { get; init; } = [];

    /// <summary>Whether the run enqueues only the DIDs of a list.</summary>
    [JsonPropertyName("didList")]
    public string? DidList { get; init; }

    /// <summary>When the run started (Unix milliseconds).</summary>
    [JsonPropertyName("startedMs")]
    public long StartedUnixMs { get; init; }
}
