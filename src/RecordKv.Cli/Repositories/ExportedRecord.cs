using System.Text.Json;

namespace RecordKv.Cli.Repositories;

/// <summary>One record of a loaded export, ready to print.</summary>
internal sealed record ExportedRecord(string Uri, string Cid, Action<Utf8JsonWriter> WriteValue);
