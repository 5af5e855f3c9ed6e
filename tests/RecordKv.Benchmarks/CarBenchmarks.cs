using BenchmarkDotNet.Attributes;
using RecordKv.Atproto.Car;
using RecordKv.Atproto.Cids;

namespace RecordKv.Benchmarks;

/// <summary>Reading paul_staging.repo.car (137,662 bytes, 458 blocks), every block verified against its CID.</summary>
[MemoryDiagnoser]
public class CarBenchmarks
{
    private byte[] _car = [];
    private CarBlock[] _blocks = [];

    [GlobalSetup]
    public void Setup()
    {
        _car = File.ReadAllBytes(RealRecords.CarPath("paul_staging.repo.car"));
        _blocks = [.. CarReader.ReadAll(_car).Blocks];
    }

    /// <summary>The in-memory reader: blocks are slices of the input, nothing copied.</summary>
    [Benchmark(Baseline = true)]
    public int SpanReader()
    {
        var reader = new CarSpanReader(_car);
        var count = 0;
        while (reader.TryReadBlock(out _, out _))
        {
            count++;
        }

        return count;
    }

    /// <summary>ReadAll: the in-memory reader collecting roots and block slices.</summary>
    [Benchmark]
    public int ReadAll() => CarReader.ReadAll(_car).Blocks.Count;

    /// <summary>The streaming reader over a stream: each block copied into its own array.</summary>
    [Benchmark]
    public async Task<int> StreamReader()
    {
        using var stream = new MemoryStream(_car, writable: false);
        await using var reader = await CarReader.OpenAsync(stream);
        var count = 0;
        while (await reader.ReadBlockAsync() is not null)
        {
            count++;
        }

        return count;
    }

    /// <summary>Hashing alone: the sha2-256 of every block, the floor under any verifying reader.</summary>
    [Benchmark]
    public int HashOnly()
    {
        var matches = 0;
        foreach (var block in _blocks)
        {
            matches += Cid.ForDagCbor(block.Data.Span) == block.Cid ? 1 : 0;
        }

        return matches;
    }
}
