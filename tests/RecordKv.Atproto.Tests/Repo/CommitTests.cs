using System.Buffers;
using RecordKv.Atproto.Cbor;
using RecordKv.Atproto.Cids;
using RecordKv.Atproto.Crypto;
using RecordKv.Atproto.Repo;

namespace RecordKv.Atproto.Tests.Repo;

public sealed class CommitTests
{
    private static readonly Cid Data = Cid.ForDagCbor([0xA0]);

    [Fact]
    public void Create_SignsTheUnsignedEncoding()
    {
        using var key = AtprotoPrivateKey.FromSeed(KeyAlgorithm.K256, "commit tests");

        var commit = Commit.Create("did:plc:abc", Data, "3lhhxizu5wr2d", key);

        commit.Version.ShouldBe(3);
        commit.Prev.ShouldBeNull();
        commit.Signature.Length.ShouldBe(64);
        key.PublicKey.Verify(commit.GetUnsignedBytes(), commit.Signature.Span).ShouldBeTrue();
        commit.VerifySignature(key.PublicKey).ShouldBeTrue();
        Commit.Decode(commit.EncodedBytes.ToArray()).ComputeCid().ShouldBe(commit.ComputeCid());
    }

    [Fact]
    public void GetUnsignedBytes_IsTheCanonicalMapWithoutSig()
    {
        using var key = AtprotoPrivateKey.FromSeed(KeyAlgorithm.P256, "commit tests");
        var commit = Commit.Create("did:plc:abc", Data, "3lhhxizu5wr2d", key);

        var reader = new DagCborReader(commit.GetUnsignedBytes());
        var keys = new List<string>();
        var count = reader.ReadMapHeader();
        for (var i = 0; i < count; i++)
        {
            keys.Add(reader.ReadText());
            reader.SkipValue();
        }

        reader.IsAtEnd.ShouldBeTrue();
        keys.ShouldBe(["did", "rev", "data", "prev", "version"]);
    }

    [Fact]
    public void Decode_UnknownField_IsKeptInTheSignedBytes()
    {
        using var key = AtprotoPrivateKey.FromSeed(KeyAlgorithm.K256, "commit tests");
        var unsigned = Encode(includeSig: false, extra: true);
        var signature = key.Sign(unsigned);

        var commit = Commit.Decode(Encode(includeSig: true, extra: true, signature));

        commit.GetUnsignedBytes().ShouldBe(unsigned);
        commit.VerifySignature(key.PublicKey).ShouldBeTrue();
    }

    [Theory]
    [InlineData("did")]
    [InlineData("version")]
    [InlineData("data")]
    [InlineData("sig")]
    [InlineData("rev")]
    public void Decode_V3MissingField_ThrowsNamingIt(string field)
    {
        var block = Encode(includeSig: true, extra: false, omit: field);

        Should.Throw<RepositoryFormatException>(() => Commit.Decode(block)).Message.ShouldContain($"'{field}'");
    }

    [Fact]
    public void Decode_V2WithoutRev_IsAccepted()
    {
        var commit = Commit.Decode(Encode(includeSig: true, extra: false, omit: "rev", version: 2));

        commit.Version.ShouldBe(2);
        commit.Rev.ShouldBeNull();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void Decode_UnsupportedVersion_Throws(int version)
    {
        Should.Throw<RepositoryFormatException>(() => Commit.Decode(Encode(includeSig: true, extra: false, version: version)))
            .Message.ShouldContain("version");
    }

    [Theory]
    [InlineData("a0a0", "after the commit")]
    [InlineData("80", "not a map")]
    [InlineData("a1", "DAG-CBOR")]
    [InlineData("a16364696401", "DAG-CBOR")]
    public void Decode_Malformed_Throws(string hex, string expected)
    {
        var bytes = Convert.FromHexString(hex);

        Should.Throw<RepositoryFormatException>(() => Commit.Decode(bytes)).Message.ShouldContain(expected);
    }

    [Fact]
    public void Decode_RawCodecData_Throws()
    {
        var block = Encode(includeSig: true, extra: false, data: Cid.ForRaw([1, 2, 3]));

        Should.Throw<RepositoryFormatException>(() => Commit.Decode(block)).Message.ShouldContain("dag-cbor");
    }

    // Writes a commit map by hand, in canonical key order, optionally with an extra unknown field "zzzzzzzz" or without one field.
    private static byte[] Encode(bool includeSig, bool extra, byte[]? signature = null, string? omit = null, int version = 3, Cid? data = null)
    {
        var fields = new List<(string Key, Action<DagCborWriter> Write)>
        {
            ("did", w => w.WriteText("did:plc:abc")),
            ("rev", w => w.WriteText("3lhhxizu5wr2d")),
            ("data", w => w.WriteCid(data ?? Data)),
            ("prev", w => w.WriteNull()),
            ("version", w => w.WriteInt64(version)),
        };
        if (includeSig)
        {
            fields.Add(("sig", w => w.WriteBytes(signature ?? new byte[64])));
        }

        if (extra)
        {
            fields.Add(("zzzzzzzz", w => w.WriteText("future field")));
        }

        fields.RemoveAll(f => f.Key == omit);
        fields.Sort((a, b) => DagCborKeyOrder.Compare(a.Key, b.Key));
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new DagCborWriter(buffer);
        writer.WriteMapHeader(fields.Count);
        foreach (var (key, write) in fields)
        {
            writer.WriteText(key);
            write(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }
}
