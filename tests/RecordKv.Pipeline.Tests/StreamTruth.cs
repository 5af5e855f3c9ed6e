using RecordKv.Atproto.Firehose;
using RecordKv.Contracts;
using RecordKv.Nats.JetStream;

namespace RecordKv.Pipeline.Tests;

/// <summary>
/// What the FIREHOSE stream itself shows, read back frame by frame after a run: the frames no one can decode, and the
/// commits whose <c>since</c> is not the rev of the repository's previous event on the stream (gaps visible in it).
/// </summary>
/// <param name="Frames">Frames stored.</param>
/// <param name="Undecodable">Frames that do not decode.</param>
/// <param name="VisibleGaps">Commits revealing a skipped commit: a previous rev of the DID is known on the stream, the commit is not a replay, and its since differs.</param>
internal sealed record StreamTruth(long Frames, long Undecodable, long VisibleGaps)
{
    public static async Task<StreamTruth> ReadAsync(NatsJetStreamContext jetStream, StoreNames names, CancellationToken cancellationToken)
    {
        var info = await jetStream.GetStreamInfoAsync(names.FirehoseStream, cancellationToken);
        var last = new Dictionary<string, string?>(StringComparer.Ordinal);
        var highest = new Dictionary<string, string>(StringComparer.Ordinal);
        long undecodable = 0;
        long gaps = 0;
        for (var sequence = info.State.FirstSeq; sequence <= info.State.LastSeq; sequence++)
        {
            var message = await jetStream.GetMessageAsync(names.FirehoseStream, sequence, cancellationToken);
            var did = message.Headers?.GetLastValue(AtprotoHeaders.Did) ?? "";
            FirehoseEvent firehoseEvent;
            try
            {
                firehoseEvent = FirehoseFrame.Decode(message.Data);
            }
            catch (Exception exception) when (exception is FormatException or ArgumentException or InvalidOperationException)
            {
                undecodable++;
                last[did] = null;
                continue;
            }

            var (rev, since, isCommit) = firehoseEvent switch
            {
                CommitEvent commit => (commit.Rev, commit.Since, true),
                SyncEvent sync => (sync.Rev, null, false),
                _ => (null, null, false),
            };
            if (rev is null)
            {
                continue;
            }

            if (highest.TryGetValue(did, out var top) && string.CompareOrdinal(rev, top) <= 0)
            {
                continue; // a replay
            }

            if (isCommit && last.TryGetValue(did, out var previous) && previous is not null && since != previous)
            {
                gaps++;
            }

            last[did] = rev;
            highest[did] = rev;
        }

        return new StreamTruth((long)info.State.Messages, undecodable, gaps);
    }
}
