using System.Buffers;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using RecordKv.Atproto.Cbor;
using RecordKv.Atproto.Cids;

namespace RecordKv.Benchmarks;

/// <summary>DAG-CBOR decode, encode and JSON conversion of real records taken from a production repository export.</summary>
[MemoryDiagnoser]
public class CborBenchmarks
{
    private readonly ArrayBufferWriter<byte> _output = new(4096);
    private byte[] _record = [];
    private Utf8JsonWriter _json = null!;
    private DagCborWriter _writer = null!;
    private Cid _likeSubject;

    /// <summary>The record kind: a post (790 bytes: text, facets, an image embed with a blob), a like, a follow.</summary>
    [Params("post", "like", "follow")]
    public string Record { get; set; } = "post";

    [GlobalSetup]
    public void Setup()
    {
        _record = Record switch
        {
            "post" => RealRecords.Find("app.bsky.feed.post", "embed"),
            "like" => RealRecords.Find("app.bsky.feed.like", "subject"),
            _ => RealRecords.Find("app.bsky.graph.follow", "subject"),
        };
        _json = new Utf8JsonWriter(_output);
        _writer = new DagCborWriter(_output);
        _likeSubject = Cid.ForDagCbor(_record);
        Console.WriteLine($"// {Record}: {_record.Length} bytes");
    }

    /// <summary>Reads every item of the record with the strict reader, strings as UTF-8 spans: the reader's own cost.</summary>
    [Benchmark(Baseline = true)]
    public long Decode()
    {
        var reader = new DagCborReader(_record);
        return Walk(ref reader);
    }

    /// <summary>Validates the record as one strict DAG-CBOR value.</summary>
    [Benchmark]
    public void Validate() => DagCbor.Validate(_record);

    /// <summary>Decodes and re-encodes the record value by value (reader into writer).</summary>
    [Benchmark]
    public int Transcode()
    {
        _output.ResetWrittenCount();
        var writer = _writer;
        var reader = new DagCborReader(_record);
        Copy(ref reader, writer);
        return _output.WrittenCount;
    }

    /// <summary>Encodes a like record from typed fields.</summary>
    [Benchmark]
    public int EncodeLike()
    {
        _output.ResetWrittenCount();
        var writer = _writer;
        writer.WriteMapHeader(3);
        writer.WriteText("$type"u8);
        writer.WriteText("app.bsky.feed.like"u8);
        writer.WriteText("subject"u8);
        writer.WriteMapHeader(2);
        writer.WriteText("cid"u8);
        writer.WriteText("bafyreidfayvfuwqa7qlnopdjiqrxzs6blmoeu4rujcjtnci5beludirz2a"u8);
        writer.WriteText("uri"u8);
        writer.WriteText("at://did:plc:ewvi7nxzyoun6zhxrhs64oiz/app.bsky.feed.post/3jzfcijpj2z2a"u8);
        writer.WriteText("createdAt"u8);
        writer.WriteText("2025-03-10T00:54:05.123Z"u8);
        return _output.WrittenCount;
    }

    /// <summary>Converts the record to atproto JSON into a reused writer.</summary>
    [Benchmark]
    public long ToJson()
    {
        _output.ResetWrittenCount();
        _json.Reset(_output);
        DagCborJson.WriteJson(_record, _json);
        _json.Flush();
        return _json.BytesCommitted;
    }

    /// <summary>Computes the record's CID (sha2-256).</summary>
    [Benchmark]
    public Cid ComputeCid() => Cid.ForDagCbor(_record);

    /// <summary>Formats a CID as base32 text.</summary>
    [Benchmark]
    public string FormatCid() => _likeSubject.ToString();

    private static long Walk(ref DagCborReader reader)
    {
        switch (reader.PeekType())
        {
            case CborValueType.Map:
                long sum = 0;
                var entries = reader.ReadMapHeader();
                for (var i = 0; i < entries; i++)
                {
                    sum += reader.ReadTextUtf8().Length;
                    sum += Walk(ref reader);
                }

                return sum;
            case CborValueType.Array:
                long total = 0;
                var items = reader.ReadArrayHeader();
                for (var i = 0; i < items; i++)
                {
                    total += Walk(ref reader);
                }

                return total;
            case CborValueType.TextString:
                return reader.ReadTextUtf8().Length;
            case CborValueType.ByteString:
                return reader.ReadBytes().Length;
            case CborValueType.Link:
                return (long)reader.ReadCid().Codec;
            case CborValueType.Boolean:
                return reader.ReadBoolean() ? 1 : 0;
            case CborValueType.Null:
                reader.ReadNull();
                return 0;
            default:
                return reader.ReadInt64();
        }
    }

    private static void Copy(ref DagCborReader reader, DagCborWriter writer)
    {
        switch (reader.PeekType())
        {
            case CborValueType.Map:
                var entries = reader.ReadMapHeader();
                writer.WriteMapHeader(entries);
                for (var i = 0; i < entries; i++)
                {
                    writer.WriteText(reader.ReadTextUtf8());
                    Copy(ref reader, writer);
                }

                break;
            case CborValueType.Array:
                var items = reader.ReadArrayHeader();
                writer.WriteArrayHeader(items);
                for (var i = 0; i < items; i++)
                {
                    Copy(ref reader, writer);
                }

                break;
            case CborValueType.TextString:
                writer.WriteText(reader.ReadTextUtf8());
                break;
            case CborValueType.ByteString:
                writer.WriteBytes(reader.ReadBytes());
                break;
            case CborValueType.Link:
                writer.WriteCid(reader.ReadCid());
                break;
            case CborValueType.Boolean:
                writer.WriteBoolean(reader.ReadBoolean());
                break;
            case CborValueType.Null:
                reader.ReadNull();
                writer.WriteNull();
                break;
            default:
                writer.WriteInt64(reader.ReadInt64());
                break;
        }
    }
}
