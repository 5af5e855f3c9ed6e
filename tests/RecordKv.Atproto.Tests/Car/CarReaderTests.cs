using System.Buffers;
using RecordKv.Atproto.Car;
using RecordKv.Atproto.Cbor;
using RecordKv.Atproto.Cids;
using RecordKv.Testing;

namespace RecordKv.Atproto.Tests.Car;

public sealed class CarReaderTests : IDisposable
{
    private const string Greenground = "greenground.repo.car";

    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromSeconds(30));

    public void Dispose() => _timeout.Dispose();

    [Theory]
    [InlineData("bnewbold.robocracy.org.20250310005405.car", 56, 56)]
    [InlineData(Greenground, 4, 4)]
    // paul_staging repeats six blocks: 458 sections, 452 distinct blocks.
    [InlineData("paul_staging.repo.car", 458, 452)]
    public async Task ReadBlocksAsync_RealRepository_VerifiesEveryBlock(string file, int sections, int distinct)
    {
        await using var stream = File.OpenRead(SharedFixtures.Path("real", "repos", file));
        await using var reader = await CarReader.OpenAsync(stream, cancellationToken: _timeout.Token);

        var blocks = new List<CarBlock>();
        await foreach (var block in reader.ReadBlocksAsync(_timeout.Token))
        {
            blocks.Add(block);
        }

        reader.Roots.Count.ShouldBe(1);
        blocks.Count.ShouldBe(sections);
        blocks.Select(b => b.Cid).Distinct().Count().ShouldBe(distinct);
        blocks.ShouldContain(b => b.Cid == reader.Roots[0]);
        foreach (var block in blocks)
        {
            block.Cid.Codec.ShouldBe(CidCodec.DagCbor);
            block.Cid.Matches(block.Data.Span).ShouldBeTrue();
            DagCbor.Validate(block.Data.Span);
        }

        reader.BytesConsumed.ShouldBe(stream.Length);
    }

    [Theory]
    [InlineData("bnewbold.robocracy.org.20250310005405.car")]
    [InlineData(Greenground)]
    [InlineData("paul_staging.repo.car")]
    public async Task ReadAll_RealRepository_MatchesStreamingReadInTinyChunks(string file)
    {
        var bytes = await File.ReadAllBytesAsync(SharedFixtures.Path("real", "repos", file), _timeout.Token);
        var contents = CarReader.ReadAll(bytes);

        await using var reader = await CarReader.OpenAsync(new ChunkedStream(bytes, 7), cancellationToken: _timeout.Token);
        var streamed = new List<CarBlock>();
        await foreach (var block in reader.ReadBlocksAsync(_timeout.Token))
        {
            streamed.Add(block);
        }

        reader.Roots.ShouldBe(contents.Roots);
        streamed.Select(b => b.Cid).ShouldBe(contents.Blocks.Select(b => b.Cid));
        for (var i = 0; i < streamed.Count; i++)
        {
            streamed[i].Data.ToArray().ShouldBe(contents.Blocks[i].Data.ToArray());
        }

        contents.ToDictionary().Count.ShouldBe(contents.Blocks.Select(b => b.Cid).Distinct().Count());
    }

    [Fact]
    public void CarSpanReader_RealRepository_YieldsSlicesOfTheInput()
    {
        var bytes = File.ReadAllBytes(SharedFixtures.Path("real", "repos", Greenground));
        var reader = new CarSpanReader(bytes);

        reader.RootCount.ShouldBe(1);
        reader.GetRoots().ShouldBe([reader.Root]);
        var count = 0;
        while (reader.TryReadBlock(out var cid, out var data))
        {
            cid.Matches(data).ShouldBeTrue();
            count++;
        }

        count.ShouldBe(4);
        reader.BytesConsumed.ShouldBe(bytes.Length);
    }

    [Theory]
    [InlineData("bnewbold.robocracy.org.20250310005405.car")]
    [InlineData(Greenground)]
    [InlineData("paul_staging.repo.car")]
    public async Task CarWriter_RealRepository_RewritesIdenticalBytes(string file)
    {
        var bytes = await File.ReadAllBytesAsync(SharedFixtures.Path("real", "repos", file), _timeout.Token);
        var contents = CarReader.ReadAll(bytes);

        var output = new ArrayBufferWriter<byte>();
        var writer = new CarWriter(output);
        writer.WriteHeader(contents.Roots);
        foreach (var block in contents.Blocks)
        {
            writer.WriteBlock(block.Cid, block.Data.Span);
        }

        using var stream = new MemoryStream();
        await CarWriter.WriteAsync(stream, contents.Roots, contents.Blocks, _timeout.Token);

        output.WrittenSpan.SequenceEqual(bytes).ShouldBeTrue();
        stream.ToArray().ShouldBe(bytes);
    }

    [Fact]
    public void CarWriter_DagCborBlock_ComputesCidAndReadsBack()
    {
        var output = new ArrayBufferWriter<byte>();
        var writer = new CarWriter(output);
        var record = DagCborJson.FromJson("""{"$type":"app.bsky.feed.like","createdAt":"2024-01-01T00:00:00Z"}"""u8);

        writer.WriteHeader([]);
        var cid = writer.WriteBlock(record);

        var contents = CarReader.ReadAll(output.WrittenMemory);
        contents.Roots.ShouldBeEmpty();
        contents.Blocks.Count.ShouldBe(1);
        contents.Blocks[0].Cid.ShouldBe(cid);
        contents.Blocks[0].Data.ToArray().ShouldBe(record);
    }

    [Fact]
    public void CarWriter_BlockBeforeHeader_Throws() =>
        Should.Throw<InvalidOperationException>(() => new CarWriter(new ArrayBufferWriter<byte>()).WriteBlock([0xa0]));

    public static TheoryData<string, long, string> MalformedCases() => new()
    {
        { "empty", 0, "ends inside the header" },
        { "truncated-header", 0, "ends inside the header" },
        { "truncated-section-prefix", 59, "ends inside a section" },
        { "truncated-section", 59, "ends inside a section" },
        { "truncated-last-section", 668, "ends inside a section" },
        { "corrupted-block", 59, "does not hash to its CID" },
        { "corrupted-cid-digest", 59, "does not hash to its CID" },
        { "block-over-cap", 204, "exceeds the block cap of 200" },
        { "huge-section-length", 59, "exceeds the block cap" },
        { "header-over-cap", 0, "exceeds the cap of 57" },
        { "too-many-blocks", 470, "more than the cap of 2 blocks" },
        { "cidv0-block", 61, "CIDv0 is not supported" },
        { "dag-pb-block", 61, "codec 0x70" },
        { "sha512-block", 61, "multihash 0x13" },
        { "non-minimal-varint", 0, "not a minimal varint" },
        { "varint-too-long", 59, "longer than 9 bytes" },
        { "empty-section", 813, "Empty CAR section" },
        { "short-section", 814, "truncated digest" },
        { "version-2", 1, "CAR version 2 is not supported" },
        { "header-undefined", 58, "Malformed CAR header: Expected an integer but found undefined" },
        { "header-not-map", 1, "not a map" },
    };

    [Theory]
    [MemberData(nameof(MalformedCases))]
    public async Task Read_MalformedCar_ThrowsAtOffset(string name, long offset, string reason)
    {
        var (bytes, options) = Malformed(name);

        var inMemory = Should.Throw<CarFormatException>(() => CarReader.ReadAll(bytes, options));
        var streamed = await Should.ThrowAsync<CarFormatException>(() => ReadStreamAsync(bytes, options, _timeout.Token));

        inMemory.Message.ShouldContain(reason);
        inMemory.Offset.ShouldBe(offset, inMemory.Message);
        streamed.Message.ShouldContain(reason);
        streamed.Offset.ShouldBe(offset, streamed.Message);
    }

    private static async Task ReadStreamAsync(byte[] bytes, CarReaderOptions? options, CancellationToken cancellationToken)
    {
        await using var reader = await CarReader.OpenAsync(new ChunkedStream(bytes, 5), options, cancellationToken);
        await foreach (var block in reader.ReadBlocksAsync(cancellationToken))
        {
            block.Data.IsEmpty.ShouldBeFalse();
        }
    }

    // Mutations of greenground.repo.car: header at 1..59, sections at 59, 204, 470 and 668 (each with a 2-byte prefix).
    private static (byte[] Bytes, CarReaderOptions? Options) Malformed(string name)
    {
        var car = File.ReadAllBytes(SharedFixtures.Path("real", "repos", Greenground));
        switch (name)
        {
            case "empty": return ([], null);
            case "truncated-header": return (car[..30], null);
            case "truncated-section-prefix": return (car[..60], null);
            case "truncated-section": return (car[..100], null);
            case "truncated-last-section": return (car[..^1], null);
            case "corrupted-block": car[59 + 2 + 36 + 5] ^= 0x01; return (car, null);
            case "corrupted-cid-digest": car[59 + 2 + 10] ^= 0x01; return (car, null);
            case "block-over-cap": return (car, new CarReaderOptions { MaxBlockSize = 200 });
            case "huge-section-length": return ([.. car[..59], 0xff, 0xff, 0xff, 0xff, 0x0f, .. car[59..]], null);
            case "header-over-cap": return (car, new CarReaderOptions { MaxHeaderSize = 57 });
            case "too-many-blocks": return (car, new CarReaderOptions { MaxBlockCount = 2 });
            case "cidv0-block": car[61] = 0x12; car[62] = 0x20; return (car, null);
            case "dag-pb-block": car[62] = 0x70; return (car, null);
            case "sha512-block": car[63] = 0x13; return (car, null);
            case "non-minimal-varint": return ([(byte)(car[0] | 0x80), 0x00, .. car[1..]], null);
            case "varint-too-long": return ([.. car[..59], .. Enumerable.Repeat((byte)0xff, 10), 0x01], null);
            case "empty-section": return ([.. car, 0x00], null);
            case "short-section": return ([.. car, 0x05, 0x01, 0x71, 0x12, 0x20, 0x00], null);
            case "version-2": car[58] = 0x02; return (car, null);
            case "header-undefined": car[58] = 0xf7; return (car, null);
            case "header-not-map": car[1] = 0x80; return (car, null);
            default: throw new ArgumentOutOfRangeException(nameof(name), name, null);
        }
    }
}
