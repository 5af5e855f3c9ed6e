using System.Buffers;
using RecordKv.Atproto.Cbor;
using RecordKv.Atproto.Cids;
using RecordKv.Atproto.Firehose;

namespace RecordKv.Atproto.Tests.Firehose;

public sealed class FirehoseFrameTests
{
    private static readonly Cid CommitCid = Cid.ForDagCbor([0xA0]);
    private static readonly Cid RecordCid = Cid.ForDagCbor([0xA1, 0x61, 0x61, 0x01]);
    private static readonly Cid PrevCid = Cid.ForDagCbor([0xA1, 0x61, 0x61, 0x02]);

    private static CommitEvent SampleCommit(int opCount = 2) => new()
    {
        Seq = 4623075231,
        Repo = "did:plc:sxtoas2sxjv6gh2bibdg3g4b",
        Commit = CommitCid,
        Rev = "3lhhxizu5wr2d",
        Since = "3lhhxiz32k52v",
        Blocks = new byte[] { 1, 2, 3, 4, 5 },
        Ops = Enumerable.Range(0, opCount)
            .Select(i => i % 2 == 0
                ? new RepoOperation(RepoAction.Create, $"app.bsky.feed.post/3lhhxizu5wr{i}d", RecordCid, null)
                : new RepoOperation(RepoAction.Delete, $"app.bsky.feed.like/3lhhxizu5wr{i}d", null, PrevCid))
            .ToArray(),
        PrevData = PrevCid,
        Time = "2025-02-06T01:43:22.273Z",
    };

    [Fact]
    public void Decode_EncodedCommit_RoundTripsEveryField()
    {
        var original = SampleCommit();

        var frame = FirehoseFrame.Encode(original);
        var decoded = FirehoseFrame.Decode(frame).ShouldBeOfType<CommitEvent>();

        decoded.Seq.ShouldBe(original.Seq);
        decoded.Repo.ShouldBe(original.Repo);
        decoded.Commit.ShouldBe(original.Commit);
        decoded.Rev.ShouldBe(original.Rev);
        decoded.Since.ShouldBe(original.Since);
        decoded.Blocks.ToArray().ShouldBe(original.Blocks.ToArray());
        decoded.Ops.ShouldBe(original.Ops);
        decoded.Blobs.ShouldBeEmpty();
        decoded.PrevData.ShouldBe(original.PrevData);
        decoded.Time.ShouldBe(original.Time);
        decoded.TooBig.ShouldBeFalse();
        decoded.Rebase.ShouldBeFalse();
        FirehoseFrame.Encode(decoded).ShouldBe(frame);
    }

    [Fact]
    public void Decode_Commit_BlocksIsASliceOfTheFrameNotACopy()
    {
        var frame = FirehoseFrame.Encode(SampleCommit());

        var decoded = FirehoseFrame.Decode(frame).ShouldBeOfType<CommitEvent>();

        System.Runtime.InteropServices.MemoryMarshal.TryGetArray(decoded.Blocks, out var segment).ShouldBeTrue();
        segment.Array.ShouldBeSameAs(frame);
    }

    [Fact]
    public void Decode_CommitWithoutPrevDataAndNullSince_DecodesAsLegacy()
    {
        var original = SampleCommit() with { PrevData = null, Since = null };

        var decoded = FirehoseFrame.Decode(FirehoseFrame.Encode(original)).ShouldBeOfType<CommitEvent>();

        decoded.PrevData.ShouldBeNull();
        decoded.Since.ShouldBeNull();
    }

    [Fact]
    public void Decode_OtherEventTypes_RoundTrip()
    {
        FirehoseEvent[] events =
        [
            new SyncEvent { Seq = 7, Did = "did:plc:abc", Blocks = new byte[] { 9, 8 }, Rev = "3lhhxizu5wr2d", Time = "2025-02-06T01:43:22.273Z" },
            new IdentityEvent { Seq = 8, Did = "did:plc:abc", Time = "2025-02-06T01:43:22.273Z", Handle = "alice.test" },
            new IdentityEvent { Seq = 9, Did = "did:plc:abc", Time = "2025-02-06T01:43:22.273Z" },
            new AccountEvent { Seq = 10, Did = "did:plc:abc", Time = "2025-02-06T01:43:22.273Z", Active = false, Status = "deactivated" },
            new AccountEvent { Seq = 11, Did = "did:plc:abc", Time = "2025-02-06T01:43:22.273Z", Active = true },
            new InfoEvent { Name = "OutdatedCursor", Message = "cursor is older than the window" },
            new ErrorEvent { Error = "FutureCursor", Message = "cursor in the future" },
            new ErrorEvent { Error = "ConsumerTooSlow" },
        ];

        foreach (var original in events)
        {
            var decoded = FirehoseFrame.Decode(FirehoseFrame.Encode(original));
            decoded.GetType().ShouldBe(original.GetType());
            FirehoseFrame.Encode(decoded).ShouldBe(FirehoseFrame.Encode(original));
            if (decoded is SyncEvent sync)
            {
                sync.Blocks.ToArray().ShouldBe([9, 8]);
            }
            else
            {
                decoded.ShouldBe(original);
            }
        }
    }

    [Fact]
    public void Decode_UnknownType_ReturnsUnknownEventNotException()
    {
        var frame = Frame(w => Header(w, "#handle", 1), w =>
        {
            w.WriteMapHeader(1);
            w.WriteText("seq"u8);
            w.WriteInt64(5);
        });

        var decoded = FirehoseFrame.Decode(frame).ShouldBeOfType<UnknownEvent>();

        decoded.HeaderType.ShouldBe("#handle");
        decoded.Op.ShouldBe(1);
        decoded.Body.Length.ShouldBe(6);
    }

    [Fact]
    public void Decode_UnknownOp_ReturnsUnknownEvent()
    {
        var frame = Frame(w => Header(w, "#commit", 2), w => w.WriteMapHeader(0));

        FirehoseFrame.Decode(frame).ShouldBeOfType<UnknownEvent>().Op.ShouldBe(2);
    }

    [Fact]
    public void Decode_UnknownFieldsInHeaderAndBody_AreIgnored()
    {
        var frame = Frame(
            w =>
            {
                w.WriteMapHeader(3);
                w.WriteText("t"u8);
                w.WriteText("#info");
                w.WriteText("op"u8);
                w.WriteInt64(1);
                w.WriteText("zzz"u8);
                w.WriteBoolean(true);
            },
            w =>
            {
                w.WriteMapHeader(2);
                w.WriteText("name"u8);
                w.WriteText("OutdatedCursor");
                w.WriteText("extra"u8);
                w.WriteArrayHeader(0);
            });

        FirehoseFrame.Decode(frame).ShouldBeOfType<InfoEvent>().Name.ShouldBe("OutdatedCursor");
    }

    [Fact]
    public void Decode_TooManyOps_Throws()
    {
        var frame = FirehoseFrame.Encode(SampleCommit(opCount: 201));

        Should.Throw<FirehoseFormatException>(() => FirehoseFrame.Decode(frame)).Message.ShouldContain("201 ops");
    }

    [Fact]
    public void Decode_TwoHundredOps_IsAccepted()
    {
        var frame = FirehoseFrame.Encode(SampleCommit(opCount: 200));

        FirehoseFrame.Decode(frame).ShouldBeOfType<CommitEvent>().Ops.Count.ShouldBe(200);
    }

    [Fact]
    public void Decode_BlocksOverLimit_Throws()
    {
        var frame = FirehoseFrame.Encode(SampleCommit() with { Blocks = new byte[2_000_001] });

        Should.Throw<FirehoseFormatException>(() => FirehoseFrame.Decode(frame)).Message.ShouldContain("2000001");
    }

    [Fact]
    public void Decode_FrameOverConfiguredLimit_Throws()
    {
        var frame = FirehoseFrame.Encode(SampleCommit());
        var limits = new FirehoseLimits { MaxFrameBytes = frame.Length - 1 };

        Should.Throw<FirehoseFormatException>(() => FirehoseFrame.Decode(frame, limits)).Message.ShouldContain("exceeds the limit");
    }

    [Theory]
    [InlineData("01a0", "not a map")]
    [InlineData("a1617466236964656e74a0", "lacks 'op'")]
    [InlineData("a1626f7001a0", "lacks 't'")]
    [InlineData("a2617465236661696c626f7001", "no body")]
    [InlineData("a2617465236661696c626f7001a0a0", "after the body")]
    [InlineData("a2617465236661696c626f7001ff", "DAG-CBOR")]
    [InlineData("a2617465236661696c626f7001a1", "DAG-CBOR")]
    [InlineData("a2626f7001617465236661696ca0", "DAG-CBOR")]
    [InlineData("a1626f7020a0", "lacks the required field 'error'")]
    [InlineData("a261746523696e666f626f700101", "body is not a map")]
    public void Decode_MalformedFrame_Throws(string hex, string expected)
    {
        var frame = Convert.FromHexString(hex);

        Should.Throw<FirehoseFormatException>(() => FirehoseFrame.Decode(frame)).Message.ShouldContain(expected);
    }

    [Theory]
    [InlineData("seq")]
    [InlineData("repo")]
    [InlineData("commit")]
    [InlineData("rev")]
    [InlineData("since")]
    [InlineData("blocks")]
    [InlineData("ops")]
    [InlineData("time")]
    public void Decode_CommitMissingRequiredField_ThrowsNamingIt(string field)
    {
        var full = FirehoseFrame.Encode(SampleCommit());
        var body = WithoutField(full, field);

        Should.Throw<FirehoseFormatException>(() => FirehoseFrame.Decode(body)).Message.ShouldContain($"'{field}'");
    }

    [Fact]
    public void Decode_OpWithUnknownAction_Throws()
    {
        var commit = SampleCommit() with { Ops = [new RepoOperation(RepoAction.Create, "a.b.c/x", RecordCid, null)] };
        var frame = FirehoseFrame.Encode(commit);
        var patched = Replace(frame, "create"u8.ToArray(), "upsert"u8.ToArray());

        Should.Throw<FirehoseFormatException>(() => FirehoseFrame.Decode(patched)).Message.ShouldContain("unknown action 'upsert'");
    }

    private static void Header(DagCborWriter writer, string type, long op)
    {
        writer.WriteMapHeader(2);
        writer.WriteText("t"u8);
        writer.WriteText(type);
        writer.WriteText("op"u8);
        writer.WriteInt64(op);
    }

    private static byte[] Frame(Action<DagCborWriter> header, Action<DagCborWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new DagCborWriter(buffer);
        header(writer);
        body(writer);
        return buffer.WrittenSpan.ToArray();
    }

    // Re-encodes a #commit frame without one body field, leaving the rest canonical.
    private static byte[] WithoutField(byte[] frame, string field)
    {
        var header = new DagCborReader(frame);
        header.SkipValue();
        var bodyStart = header.BytesConsumed;
        var reader = new DagCborReader(frame.AsSpan(bodyStart));
        var count = reader.ReadMapHeader();
        var entries = new List<byte[]>();
        for (var i = 0; i < count; i++)
        {
            var start = reader.BytesConsumed;
            var key = reader.ReadText();
            reader.SkipValue();
            if (key != field)
            {
                entries.Add(frame.AsSpan(bodyStart + start, reader.BytesConsumed - start).ToArray());
            }
        }

        var buffer = new ArrayBufferWriter<byte>();
        buffer.Write(frame.AsSpan(0, bodyStart));
        new DagCborWriter(buffer).WriteMapHeader(entries.Count);
        foreach (var entry in entries)
        {
            buffer.Write(entry);
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static byte[] Replace(byte[] data, byte[] find, byte[] replacement)
    {
        var index = data.AsSpan().IndexOf(find);
        index.ShouldBeGreaterThanOrEqualTo(0);
        var copy = data.ToArray();
        replacement.CopyTo(copy, index);
        return copy;
    }
}
