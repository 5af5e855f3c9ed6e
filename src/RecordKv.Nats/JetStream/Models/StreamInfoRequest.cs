namespace RecordKv.Nats.JetStream;

/// <summary>The body of <c>STREAM.INFO</c> when subject details are wanted.</summary>
internal sealed record StreamInfoRequest
{
    /// <summary>Subjects to report message counts for (wildcards allowed).</summary>
    public string? SubjectsFilter { get; init; }

    /// <summary>How many subjects of the answer to skip (paging: the server reports at most 100,000 a page).</summary>
    public int Offset { get; init; }
}
