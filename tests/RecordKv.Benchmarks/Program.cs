using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(RecordKv.Benchmarks.CarBenchmarks).Assembly).Run(args);
