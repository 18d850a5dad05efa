using BenchmarkDotNet.Running;
using LibTorch.Comparison;
using ScratchRl.Benchmarks;

// ScratchRl beside libtorch, with the FMA peak of the same run: see README.md for the command.
BenchmarkSwitcher.FromTypes([typeof(DqnUpdateComparison), typeof(MatMulComparison), typeof(PeakBenchmarks)]).Run(args, SuiteConfig.Create());
