using System.CommandLine;
using RecordKv.Contracts;
using RecordKv.LikeIndexer;
using RecordKv.Nats.JetStream;
using RecordKv.Nats.KeyValue;

namespace RecordKv.Cli.Commands;

/// <summary>The <c>likes-by</c> and <c>likers</c> verbs: read the like indexer's bucket.</summary>
internal static class LikeQueryCommands
{
    public static Command BuildLikesBy()
    {
        var connection = new StoreConnectionOptions();
        var dids = new Argument<string[]>("DID") { Description = "Actors (also read from stdin, one per line, when none is given).", Arity = ArgumentArity.ZeroOrMore };
        var bucket = new Option<string>("--index-bucket") { Description = "The like index bucket.", DefaultValueFactory = _ => LikeIndexKeys.DefaultBucket };
        var command = connection.AddTo(new Command("likes-by", "Print the likes of actors from the like index: like URI and liked URI per line.") { dids, bucket });
        command.SetAction((parseResult, cancellationToken) => StoreConnectionOptions.GuardAsync(async () =>
        {
            var actors = parseResult.GetValue(dids) is { Length: > 0 } given ? given : await ReadStdinAsync(cancellationToken).ConfigureAwait(false);
            if (actors.Count == 0)
            {
                throw new CliException("no DID given (as arguments or on stdin)");
            }

            await using var nats = await connection.ConnectAsync(parseResult, cancellationToken).ConfigureAwait(false);
            var index = new LikeIndex(await new NatsKvContext(new NatsJetStreamContext(nats)).GetBucketAsync(parseResult.GetValue(bucket)!, cancellationToken).ConfigureAwait(false));
            var output = parseResult.InvocationConfiguration.Output;
            foreach (var did in actors)
            {
                if (!did.StartsWith("did:", StringComparison.Ordinal))
                {
                    throw new CliException($"'{did}' is not a DID");
                }

                foreach (var (like, subject) in await index.LikesByAsync(did, cancellationToken).ConfigureAwait(false))
                {
                    await output.WriteLineAsync($"{like.ToAtUri()} {subject}").ConfigureAwait(false);
                }
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    public static Command BuildLikers()
    {
        var connection = new StoreConnectionOptions();
        var post = new Argument<string>("POST-URI") { Description = "at://DID/app.bsky.feed.post/RKEY" };
        var bucket = new Option<string>("--index-bucket") { Description = "The like index bucket.", DefaultValueFactory = _ => LikeIndexKeys.DefaultBucket };
        var command = connection.AddTo(new Command("likers", "Print who liked a record (liker DID and like URI per line) and the count.") { post, bucket });
        command.SetAction((parseResult, cancellationToken) => StoreConnectionOptions.GuardAsync(async () =>
        {
            var subject = RecordId.ParseAtUri(parseResult.GetValue(post)!);
            await using var nats = await connection.ConnectAsync(parseResult, cancellationToken).ConfigureAwait(false);
            var index = new LikeIndex(await new NatsKvContext(new NatsJetStreamContext(nats)).GetBucketAsync(parseResult.GetValue(bucket)!, cancellationToken).ConfigureAwait(false));
            var output = parseResult.InvocationConfiguration.Output;
            foreach (var like in await index.LikersAsync(subject, cancellationToken).ConfigureAwait(false))
            {
                await output.WriteLineAsync($"{like.Did} {like.ToAtUri()}").ConfigureAwait(false);
            }

            await output.WriteLineAsync($"count {await index.CountAsync(subject, cancellationToken).ConfigureAwait(false)}").ConfigureAwait(false);
            return ExitCodes.Success;
        }));
        return command;
    }

    private static async Task<IReadOnlyList<string>> ReadStdinAsync(CancellationToken cancellationToken)
    {
        if (!Console.IsInputRedirected)
        {
            return [];
        }

        var lines = new List<string>();
        while (await Console.In.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (line.Trim() is { Length: > 0 } did)
            {
                lines.Add(did);
            }
        }

        return lines;
    }
}
