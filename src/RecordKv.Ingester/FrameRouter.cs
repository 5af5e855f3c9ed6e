using System.Text;
using RecordKv.Atproto.Cbor;
using RecordKv.Atproto.Firehose;
using RecordKv.Contracts;

namespace RecordKv.Ingester;

/// <summary>
/// Reads just enough of a frame to route it: the header's <c>op</c> and <c>t</c>, then the body's <c>seq</c> and
/// <c>repo</c>/<c>did</c>, skipping every other field. Verification is the builders' job, so a frame with a bad
/// signature or CAR is still published (and counted there).
/// </summary>
internal sealed class FrameRouter(DidPartitioner partitioner)
{
    private static readonly DagCborReaderOptions ReaderOptions = DagCborReaderOptions.Default;

    /// <summary>Routes a frame; a frame that is not even CBOR with a header and body map is <see cref="FrameKind.Unroutable"/>.</summary>
    public FrameRoute Route(ReadOnlySpan<byte> frame)
    {
        try
        {
            var reader = new DagCborReader(frame, ReaderOptions);
            if (!TryReadHeader(ref reader, out var op, out var type))
            {
                return new FrameRoute(FrameKind.Unroutable, 0, null, 0, null);
            }

            if (op == FirehoseFrame.ErrorOp)
            {
                return new FrameRoute(FrameKind.Error, 0, null, 0, null);
            }

            var eventName = EventNameOf(type);
            if (eventName is null)
            {
                return type.SequenceEqual("#info"u8)
                    ? new FrameRoute(FrameKind.Info, 0, null, 0, null)
                    : new FrameRoute(FrameKind.Unroutable, ReadSeqOnly(ref reader), null, 0, null);
            }

            var didKey = type.SequenceEqual("#commit"u8) ? "repo"u8 : "did"u8;
            if (reader.IsAtEnd || reader.PeekType() != CborValueType.Map)
            {
                return new FrameRoute(FrameKind.Unroutable, 0, null, 0, eventName);
            }

            var count = reader.ReadMapHeader();
            long seq = 0;
            var did = ReadOnlySpan<byte>.Empty;
            for (var i = 0; i < count; i++)
            {
                var key = reader.ReadTextUtf8();
                if (key.SequenceEqual("seq"u8) && reader.PeekType() is CborValueType.UnsignedInteger)
                {
                    seq = reader.ReadInt64();
                }
                else if (key.SequenceEqual(didKey) && reader.PeekType() is CborValueType.TextString)
                {
                    did = reader.ReadTextUtf8();
                }
                else
                {
                    reader.SkipValue();
                }

                if (seq > 0 && !did.IsEmpty)
                {
                    // Everything needed is read; the rest of the body (blocks, ops) is the builders' business.
                    break;
                }
            }

            if (seq <= 0 || did.IsEmpty)
            {
                return new FrameRoute(FrameKind.Unroutable, seq, null, 0, eventName);
            }

            return new FrameRoute(FrameKind.Publish, seq, Encoding.UTF8.GetString(did), partitioner.PartitionOf(did), eventName);
        }
        catch (CborFormatException)
        {
            return new FrameRoute(FrameKind.Unroutable, 0, null, 0, null);
        }
    }

    /// <summary>The <c>Atproto-Event</c> header value of a repository event type, or null for other types.</summary>
    internal static string? EventNameOf(ReadOnlySpan<byte> type) =>
        type.SequenceEqual("#commit"u8) ? "commit"
        : type.SequenceEqual("#sync"u8) ? "sync"
        : type.SequenceEqual("#identity"u8) ? "identity"
        : type.SequenceEqual("#account"u8) ? "account"
        : null;

    private static bool TryReadHeader(ref DagCborReader reader, out long op, out ReadOnlySpan<byte> type)
    {
        op = 0;
        type = default;
        if (reader.PeekType() != CborValueType.Map)
        {
            return false;
        }

        var count = reader.ReadMapHeader();
        var hasOp = false;
        for (var i = 0; i < count; i++)
        {
            var key = reader.ReadTextUtf8();
            if (key.SequenceEqual("op"u8))
            {
                op = reader.ReadInt64();
                hasOp = true;
            }
            else if (key.SequenceEqual("t"u8))
            {
                type = reader.ReadTextUtf8();
            }
            else
            {
                reader.SkipValue();
            }
        }

        return hasOp && !reader.IsAtEnd;
    }

    private static long ReadSeqOnly(ref DagCborReader reader)
    {
        if (reader.IsAtEnd || reader.PeekType() != CborValueType.Map)
        {
            return 0;
        }

        var count = reader.ReadMapHeader();
        for (var i = 0; i < count; i++)
        {
            var key = reader.ReadTextUtf8();
            if (key.SequenceEqual("seq"u8) && reader.PeekType() is CborValueType.UnsignedInteger)
            {
                return reader.ReadInt64();
            }

            reader.SkipValue();
        }

        return 0;
    }
}
