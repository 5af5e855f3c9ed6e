using System.Net;
using System.Net.Sockets;

namespace RecordKv.Cli.Tests;

/// <summary><c>recordkv sim</c> run in-process: start-up line, bounded runs, summary, flag errors.</summary>
public sealed class SimCommandTests
{
    [Fact]
    public async Task Sim_BoundedRun_PrintsUrlsThenSummaryAndStopsByItself()
    {
        var run = await RunToCompletionAsync("sim", "--port", "0", "--seed", "3", "--accounts", "5", "--records-per-account", "2", "--rate", "0", "--events", "60", "--linger", "0");

        run.ExitCode.ShouldBe(ExitCodes.Success, run.Error);
        run.Error.ShouldBeEmpty();
        var lines = run.OutputLines;
        lines.Length.ShouldBe(2, run.Output);
        lines[0].ShouldMatch(@"^sim: seed 3, 5 accounts; PDS/PLC http://127\.0\.0\.1:\d+/ +firehose ws://127\.0\.0\.1:\d+/xrpc/com\.atproto\.sync\.subscribeRepos +truth http://127\.0\.0\.1:\d+/_sim/expected +stats http://127\.0\.0\.1:\d+/_sim/stats");
        lines[1].ShouldStartWith("sim: 60 frames (last seq 60), ");
        lines[1].ShouldContain("5 accounts");
        lines[1].ShouldEndWith("faults: none");
    }

    [Fact]
    public async Task Sim_BoundedRunWithFaultsAndDuration_SummaryCountsTheFaults()
    {
        var run = await RunToCompletionAsync("sim", "--port", "0", "--seed", "4", "--accounts", "20", "--records-per-account", "0", "--rate", "400", "--duration", "0.5", "--linger", "0", "--fault", "duplicate-frame=1");

        run.ExitCode.ShouldBe(ExitCodes.Success, run.Error);
        run.OutputLines.Length.ShouldBe(2, run.Output);
        run.OutputLines[1].ShouldMatch(@"^sim: \d+ frames \(last seq 200\), ");
        run.OutputLines[1].ShouldContain("duplicate-frame=");
    }

    [Theory]
    [InlineData("--port", "70000", "--port")]
    [InlineData("--port", "-1", "--port")]
    [InlineData("--bind", "not-an-address", "--bind")]
    [InlineData("--accounts", "0", "--accounts")]
    [InlineData("--records-per-account", "-1", "--records-per-account")]
    [InlineData("--rate", "-5", "--rate")]
    [InlineData("--events", "0", "--events")]
    [InlineData("--duration", "0", "--duration")]
    [InlineData("--duration", "-3", "--duration")]
    [InlineData("--linger", "-1", "--linger")]
    [InlineData("--retain-frames", "0", "--retain-frames")]
    [InlineData("--fault", "no-such-fault=0.1", "no-such-fault")]
    [InlineData("--fault", "bad-signature=2", "bad-signature")]
    [InlineData("--fault", "bad-signature=often", "bad-signature")]
    public async Task Sim_InvalidFlagValue_OneLineErrorNamingItAndFailure(string flag, string value, string named)
    {
        // Valid values for the bounding flags (each flag given once), the one under test replaced.
        var args = new List<string> { "sim" };
        foreach (var (name, fallback) in new[] { ("--port", "0"), ("--events", "10"), ("--linger", "0") })
        {
            args.AddRange([name, name == flag ? value : fallback]);
        }

        if (flag is not ("--port" or "--events" or "--linger"))
        {
            args.AddRange([flag, value]);
        }

        var run = await RunToCompletionAsync([.. args]);

        run.ExitCode.ShouldBe(ExitCodes.Failure, run.Error);
        run.ErrorLines.ShouldHaveSingleItem().ShouldStartWith(CliErrorReporter.Prefix);
        run.Error.ShouldContain(named);
        run.Output.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("--rate", "1000")]
    [InlineData("--rate", "0", "--events", "10")]
    public async Task Sim_PregenerateWithoutPacedBoundedRun_OneLineErrorAndNothingStarts(params string[] flags)
    {
        var run = await RunToCompletionAsync(["sim", "--port", "0", "--linger", "0", "--pregenerate", .. flags]);

        run.ExitCode.ShouldBe(ExitCodes.Failure, run.Error);
        run.ErrorLines.ShouldHaveSingleItem().ShouldContain("--pregenerate");
        run.Output.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("--port", "abc")]
    [InlineData("--rate", "fast")]
    [InlineData("--events", "1.5")]
    [InlineData("--no-such-flag", "1")]
    public async Task Sim_UnparsableFlag_UsageErrorAndNothingStarts(string flag, string value)
    {
        var run = await RunToCompletionAsync("sim", flag, value);

        run.ExitCode.ShouldBe(ExitCodes.Usage);
        run.ErrorLines[0].ShouldStartWith(CliErrorReporter.Prefix);
        run.Error.ShouldContain(flag == "--no-such-flag" ? flag : value);
        run.Output.ShouldBeEmpty();
    }

    [Fact]
    public async Task Sim_PortInUse_OneLineErrorAndFailure()
    {
        using var occupant = new TcpListener(IPAddress.Loopback, 0);
        occupant.Start();
        var port = ((IPEndPoint)occupant.LocalEndpoint).Port;

        var run = await RunToCompletionAsync("sim", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--events", "10", "--linger", "0");

        run.ExitCode.ShouldBe(ExitCodes.Failure, run.Error);
        run.ErrorLines.ShouldHaveSingleItem().ShouldStartWith(CliErrorReporter.Prefix);
        run.Output.ShouldBeEmpty();
    }

    // A bounded run must end without being cancelled: the command gets a token that is never cancelled while the
    // test waits (generously), and only a run that overstays is cancelled, after the test has already failed.
    private static async Task<CliRun> RunToCompletionAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        using var overstay = new CancellationTokenSource();
        var run = CliApplication.RunAsync(args, output, error, overstay.Token);
        try
        {
            var exitCode = await run.WaitAsync(TimeSpan.FromSeconds(120));
            return new CliRun(exitCode, output.ToString(), error.ToString());
        }
        catch (TimeoutException)
        {
            await overstay.CancelAsync();
            await run;
            throw new Xunit.Sdk.XunitException($"recordkv {string.Join(' ', args)} did not stop by itself; output so far: {output}");
        }
    }
}
