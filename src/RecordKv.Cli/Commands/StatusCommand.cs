using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using RecordKv.Cli.Status;
using RecordKv.Contracts;
using RecordKv.Coordination;
using RecordKv.Nats;
using RecordKv.Nats.JetStream;
using RecordKv.Nats.KeyValue;

namespace RecordKv.Cli.Commands;

/// <summary>The <c>status</c> verb: streams, buckets, consumers, leases, ingest cursors and repository sync states.</summary>
internal static class StatusCommand
{
    private const string IngestCursorPrefix = "ingest.cursor.";

    public static Command Build()
    {
        var connection = new StoreConnectionOptions();
        var watch = new Option<bool>("--watch", "-w") { Description = "Refresh every --interval seconds until Ctrl+C." };
        var interval = new Option<double>("--interval") { Description = "Seconds between refreshes with --watch.", DefaultValueFactory = _ => 2 };
        var repoLimit = new Option<int>("--repo-scan-limit") { Description = "Repositories read to count sync states (0 skips).", DefaultValueFactory = _ => 100_000 };
        var relay = new Option<string?>("--relay") { Description = "Relay asked for its head to compute the ingest lag (default: each cursor's own source; ws:// on loopback, wss:// elsewhere)." };
        var noRelay = new Option<bool>("--no-relay") { Description = "Do not ask the relay for its head (no ingest lag)." };
        var command = connection.AddTo(new Command("status", "Show streams, buckets, consumers (pending, ack floor), partition leases, ingest cursors and lag, and repository sync states.") { watch, interval, repoLimit, relay, noRelay });
        command.SetAction((parseResult, cancellationToken) => StoreConnectionOptions.GuardAsync(async () =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            await using var nats = await connection.ConnectAsync(parseResult, cancellationToken).ConfigureAwait(false);
            var options = connection.ClientOptions(parseResult);
            do
            {
                var report = await RenderAsync(nats, options.ControlBucket, parseResult.GetValue(repoLimit), parseResult.GetValue(noRelay) ? null : new RelayChoice(parseResult.GetValue(relay)), cancellationToken).ConfigureAwait(false);
                if (parseResult.GetValue(watch) && !Console.IsOutputRedirected)
                {
                    await output.WriteAsync("\u001b[2J\u001b[H").ConfigureAwait(false);
                }

                await output.WriteAsync(report).ConfigureAwait(false);
                await output.FlushAsync(cancellationToken).ConfigureAwait(false);
                if (!parseResult.GetValue(watch))
                {
                    break;
                }

                await Task.Delay(TimeSpan.FromSeconds(parseResult.GetValue(interval)), cancellationToken).ConfigureAwait(false);
            }
            while (true);
            return ExitCodes.Success;
        }));
        return command;
    }

    private static async Task<string> RenderAsync(NatsConnection nats, string controlBucket, int repoLimit, RelayChoice? relay, CancellationToken cancellationToken)
    {
        var jetStream = new NatsJetStreamContext(nats);
        var kv = new NatsKvContext(jetStream);
        var text = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        text.AppendLine(inv, $"server {nats.ConnectedUrl} (nats-server {nats.ServerInfo.Version}) at {DateTimeOffset.UtcNow:HH:mm:ss}");
        text.AppendLine("streams and buckets:");
        var names = await jetStream.ListStreamNamesAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        foreach (var name in names.Order(StringComparer.Ordinal))
        {
            var info = await jetStream.GetStreamInfoAsync(name, cancellationToken).ConfigureAwait(false);
            var kind = name.StartsWith(NatsKvStore.StreamPrefix, StringComparison.Ordinal) ? $"bucket {name[NatsKvStore.StreamPrefix.Length..]}" : $"stream {name}";
            text.AppendLine(inv, $"  {kind,-28} {info.State.Messages,12:N0} msgs {info.State.Bytes,16:N0} bytes  last seq {info.State.LastSeq:N0}  consumers {info.State.ConsumerCount}");
            if (info.State.ConsumerCount == 0)
            {
                continue;
            }

            // Listing every consumer's info is slow when short-lived ephemeral ones (key listings) pile up: names first,
            // then the info of the named (durable) consumers only.
            var ephemeral = 0;
            foreach (var consumerName in (await jetStream.ListConsumerNamesAsync(name, cancellationToken).ConfigureAwait(false)).Order(StringComparer.Ordinal))
            {
                if (ConsumerNames.LooksEphemeral(consumerName))
                {
                    ephemeral++;
                    continue;
                }

                ConsumerInfo consumer;
                try
                {
                    consumer = await jetStream.GetConsumerInfoAsync(name, consumerName, cancellationToken).ConfigureAwait(false);
                }
                catch (NatsJetStreamNotFoundException)
                {
                    continue;
                }

                text.AppendLine(inv, $"    consumer {consumer.Name,-32} pending {consumer.NumPending,10:N0}  ack pending {consumer.NumAckPending,6:N0}  ack floor {consumer.AckFloor?.StreamSeq ?? 0:N0}  redelivered {consumer.NumRedelivered:N0}");
            }

            if (ephemeral > 0)
            {
                text.AppendLine(inv, $"    {ephemeral:N0} ephemeral consumers");
            }
        }

        if (!names.Contains(NatsKvStore.StreamPrefix + controlBucket))
        {
            text.AppendLine(inv, $"control bucket '{controlBucket}' does not exist: the RecordKv services have not started against this server.");
            return text.ToString();
        }

        var control = await kv.GetBucketAsync(controlBucket, cancellationToken).ConfigureAwait(false);
        text.AppendLine("control:");
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var controlKeys = new SortedSet<string>(StringComparer.Ordinal);
        await foreach (var key in control.GetKeysAsync(">", cancellationToken).ConfigureAwait(false))
        {
            controlKeys.Add(key);
        }

        foreach (var key in controlKeys)
        {
            var entry = await control.GetAsync(key, cancellationToken).ConfigureAwait(false);
            if (entry is null || entry.Operation != NatsKvOperation.Put)
            {
                continue;
            }

            if (key.Contains(".lease", StringComparison.Ordinal) || key.Contains(".member.", StringComparison.Ordinal))
            {
                var lease = LeaseRecord.Decode(entry.Value.Span);
                var state = lease.IsExpired(now) ? "expired" : $"{(lease.ExpiresUnixMs - now) / 1000.0:0.0}s left";
                text.AppendLine(inv, $"  {key,-40} {lease.Holder} ({state})");
            }
            else if (key.StartsWith(IngestCursorPrefix, StringComparison.Ordinal))
            {
                text.AppendLine(await DescribeIngestCursorAsync(key, entry, relay, cancellationToken).ConfigureAwait(false));
            }
            else
            {
                var value = Encoding.UTF8.GetString(entry.Value.Span);
                var age = DateTimeOffset.UtcNow - entry.Created;
                text.AppendLine(inv, $"  {key,-40} {(value.Length > 100 ? value[..100] + "…" : value)}  (written {age.TotalSeconds:0}s ago)");
            }
        }

        if (repoLimit > 0 && names.Contains(NatsKvStore.StreamPrefix + "repo"))
        {
            var repos = await kv.GetBucketAsync("repo", cancellationToken).ConfigureAwait(false);
            var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
            var scanned = 0;
            await foreach (var key in repos.GetKeysAsync(">", cancellationToken).ConfigureAwait(false))
            {
                if (++scanned > repoLimit)
                {
                    break;
                }

                var entry = await repos.GetAsync(key, cancellationToken).ConfigureAwait(false);
                var state = "unknown";
                if (entry is not null && entry.Value.Length > 0)
                {
                    try
                    {
                        using var document = JsonDocument.Parse(entry.Value);
                        if (document.RootElement.TryGetProperty("syncState", out var s) && s.ValueKind == JsonValueKind.String)
                        {
                            state = s.GetString()!;
                        }
                    }
                    catch (JsonException)
                    {
                        state = "unreadable";
                    }
                }

                counts[state] = counts.GetValueOrDefault(state) + 1;
            }

            text.AppendLine(inv, $"repositories (sync state){(scanned > repoLimit ? $" (first {repoLimit:N0})" : string.Empty)}: {string.Join(", ", counts.Select(c => $"{c.Key} {c.Value:N0}"))}");
        }

        return text.ToString();
    }

    /// <summary>One line per ingest source: the saved cursor, the relay's head and the lag between them.</summary>
    private static async Task<string> DescribeIngestCursorAsync(string key, NatsKvEntry entry, RelayChoice? relay, CancellationToken cancellationToken)
    {
        var inv = CultureInfo.InvariantCulture;
        var source = KeyTokenEscaping.TryUnescape(key.AsSpan(IngestCursorPrefix.Length), out var unescaped, out _) ? unescaped : key[IngestCursorPrefix.Length..];
        var age = (DateTimeOffset.UtcNow - entry.Created).TotalSeconds;
        if (!long.TryParse(entry.Value.Span, NumberStyles.None, inv, out var cursor))
        {
            return string.Create(inv, $"  ingest {source}: unreadable cursor '{Encoding.UTF8.GetString(entry.Value.Span)}'");
        }

        var line = string.Create(inv, $"  ingest {source}: cursor {cursor:N0} (saved {age:0}s ago)");
        if (relay is null)
        {
            return line;
        }

        var url = RelayHeadProbe.SubscribeUrl(relay.Url ?? source);
        var head = await RelayHeadProbe.ReadAsync(url, TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false);
        if (head is not { } h)
        {
            return line + string.Create(inv, $"  relay head unknown ({url.GetLeftPart(UriPartial.Authority)} did not answer)");
        }

        var lag = Math.Max(0, h.Seq - cursor);
        // A live relay stamps events with the time now; the simulator's clock is synthetic, so an age there means nothing.
        var time = h.Time is not { } t ? string.Empty
            : Math.Abs((DateTimeOffset.UtcNow - t).TotalHours) < 24 ? string.Create(inv, $", head event {(DateTimeOffset.UtcNow - t).TotalSeconds:0.0}s old")
            : string.Create(inv, $", head event stamped {t:yyyy-MM-ddTHH:mm:ssZ}");
        return line + string.Create(inv, $"  relay head {h.Seq:N0}  lag {lag:N0} events{time}");
    }
}
