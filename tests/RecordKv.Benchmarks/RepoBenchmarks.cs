using BenchmarkDotNet.Attributes;
using RecordKv.Atproto.Repo;

namespace RecordKv.Benchmarks;

/// <summary>Loading and checking a whole repository export: <c>paul_staging.repo.car</c> (v2, 185 records, 452 blocks).</summary>
[MemoryDiagnoser]
public class RepoBenchmarks
{
    private byte[] _car = [];

    [GlobalSetup]
    public void Setup()
    {
        _car = File.ReadAllBytes(FixturePath("real", "repos", "paul_staging.repo.car"));
    }

    [Benchmark(Baseline = true)]
    public Repository LoadFromMemory() => Repository.Load(_car);

    [Benchmark]
    public async Task<Repository> LoadFromStream()
    {
        using var stream = new MemoryStream(_car, writable: false);
        return await Repository.LoadAsync(stream).ConfigureAwait(false);
    }

    private static string FixturePath(params string[] parts)
    {
        var shared = Environment.GetEnvironmentVariable("RECORDKV_SHARED");
        if (string.IsNullOrEmpty(shared))
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "RecordKv.sln")))
            {
                dir = dir.Parent;
            }

            shared = Path.Combine(dir?.FullName ?? throw new DirectoryNotFoundException("No RecordKv.sln above the benchmark."), "..", "shared");
        }

        return Path.Combine([shared, "fixtures", .. parts]);
    }
}
