namespace RecordKv.Cli.Status;

/// <summary>Which relay <c>status</c> asks for its head: <see cref="Url"/>, or each ingest cursor's own source when null.</summary>
internal sealed record RelayChoice(string? Url);
