using System.CommandLine;
using RecordKv.Client;

namespace RecordKv.Cli.Commands;

/// <summary>The <c>get</c> verb: prints one record by AT-URI.</summary>
internal static class GetCommand
{
    public static Command Build()
    {
        var connection = new StoreConnectionOptions();
        var uri = new Argument<string>("AT-URI") { Description = "at://DID/COLLECTION/RKEY" };
        var json = new Option<bool>("--json") { Description = "One JSON document." };
        var command = connection.AddTo(new Command("get", "Print one record of the store by AT-URI.") { uri, json });
        command.SetAction((parseResult, cancellationToken) => StoreConnectionOptions.GuardAsync(async () =>
        {
            await using var nats = await connection.ConnectAsync(parseResult, cancellationToken).ConfigureAwait(false);
            await using var client = new RecordKvClient(nats, connection.ClientOptions(parseResult));
            var atUri = parseResult.GetValue(uri)!;
            var record = await client.GetAsync(atUri, cancellationToken).ConfigureAwait(false)
                ?? throw new CliException($"{atUri}: not in the store");
            await parseResult.InvocationConfiguration.Output.WriteLineAsync(RecordJsonOutput.Format(parseResult.GetValue(json), record.Id.ToAtUri(), "PUT", record.Cid, record.Rev, record.Data)).ConfigureAwait(false);
            return ExitCodes.Success;
        }));
        return command;
    }
}
