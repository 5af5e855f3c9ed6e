using System.CommandLine;
using System.Text;
using System.Text.Json;
using RecordKv.Client;
using RecordKv.Contracts;
using RecordKv.Nats;
using RecordKv.Nats.JetStream;
using RecordKv.Nats.KeyValue;

namespace RecordKv.Cli.Commands;

/// <summary>The <c>put</c> verb: writes mock records straight into the record bucket, for local development.</summary>
internal static class PutCommand
{
    public static Command Build()
    {
        var connection = new StoreConnectionOptions();
        var file = new Argument<FileInfo?>("FILE")
        {
            Description = "JSON lines or one JSON array of {\"uri\":\"at://…\",\"record\":{…},\"cid\":\"…\",\"rev\":\"…\"} (\"delete\":true deletes); stdin when absent or '-'.",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var command = connection.AddTo(new Command("put", "Write mock records into the record bucket (local development; bypasses verification).") { file });
        command.SetAction((parseResult, cancellationToken) => StoreConnectionOptions.GuardAsync(async () =>
        {
            var path = parseResult.GetValue(file);
            var text = path is null || path.Name == "-"
                ? await Console.In.ReadToEndAsync(cancellationToken).ConfigureAwait(false)
                : await File.ReadAllTextAsync(path.FullName, cancellationToken).ConfigureAwait(false);
            var items = Parse(text);
            var options = connection.ClientOptions(parseResult);
            await using var nats = await connection.ConnectAsync(parseResult, cancellationToken).ConfigureAwait(false);
            await using var client = new RecordKvClient(nats, options);
            var records = await new NatsKvContext(new NatsJetStreamContext(nats)).GetBucketAsync(options.RecordBucket, cancellationToken).ConfigureAwait(false);
            int puts = 0, deletes = 0;
            foreach (var item in items)
            {
                var uri = item.TryGetProperty("uri", out var u) && u.ValueKind == JsonValueKind.String ? u.GetString()! : throw new CliException("every item needs a \"uri\"");
                var key = await client.KeyForAsync(uri, cancellationToken).ConfigureAwait(false);
                if (item.TryGetProperty("delete", out var d) && d.ValueKind == JsonValueKind.True)
                {
                    await records.DeleteAsync(key, cancellationToken: cancellationToken).ConfigureAwait(false);
                    deletes++;
                    continue;
                }

                if (!item.TryGetProperty("record", out var record) || record.ValueKind != JsonValueKind.Object)
                {
                    throw new CliException($"{uri}: a \"record\" object is needed (or \"delete\": true)");
                }

                var headers = new NatsHeaders();
                headers.Add(AtprotoHeaders.Cid, item.TryGetProperty("cid", out var cid) && cid.ValueKind == JsonValueKind.String ? cid.GetString()! : "bafyreimock");
                headers.Add(AtprotoHeaders.Rev, item.TryGetProperty("rev", out var rev) && rev.ValueKind == JsonValueKind.String ? rev.GetString()! : "3mockrev0000");
                await records.PutAsync(key, Encoding.UTF8.GetBytes(record.GetRawText()), headers, cancellationToken).ConfigureAwait(false);
                puts++;
            }

            await parseResult.InvocationConfiguration.Output.WriteLineAsync($"put {puts}, deleted {deletes}").ConfigureAwait(false);
            return ExitCodes.Success;
        }));
        return command;
    }

    private static List<JsonElement> Parse(string text)
    {
        var trimmed = text.TrimStart();
        if (trimmed.StartsWith('['))
        {
            using var array = JsonDocument.Parse(trimmed);
            return array.RootElement.EnumerateArray().Select(e => e.Clone()).ToList();
        }

        var items = new List<JsonElement>();
        foreach (var line in text.Split('\n'))
        {
            if (line.Trim() is { Length: > 0 } json)
            {
                using var document = JsonDocument.Parse(json);
                items.Add(document.RootElement.Clone());
            }
        }

        return items;
    }
}
