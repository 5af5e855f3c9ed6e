using System.CommandLine;
using System.Globalization;
using System.Net;
using RecordKv.Simulator;

namespace RecordKv.Cli.Commands;

/// <summary>The <c>sim</c> verb: runs the firehose simulator (a local relay, PDS and PLC directory) until its bound or Ctrl+C.</summary>
internal static class SimCommand
{
    public static Command Build()
    {
        var port = new Option<int>("--port") { Description = "TCP port (0 = any free port).", DefaultValueFactory = _ => 2470 };
        var bind = new Option<string>("--bind") { Description = "Address to listen on.", DefaultValueFactory = _ => "127.0.0.1" };
        var seed = new Option<long>("--seed") { Description = "Seed of everything generated: the same seed gives the same bytes.", DefaultValueFactory = _ => 1 };
        var accounts = new Option<int>("--accounts") { Description = "Accounts created before the firehose starts.", DefaultValueFactory = _ => 100 };
        var records = new Option<int>("--records-per-account") { Description = "Records preloaded into each account (served by getRepo, not on the firehose).", DefaultValueFactory = _ => 20 };
        var rate = new Option<double>("--rate") { Description = "Firehose events per second (0 = as fast as possible).", DefaultValueFactory = _ => 1000 };
        var events = new Option<long?>("--events") { Description = "Stop after this many events." };
        var duration = new Option<double?>("--duration") { Description = "Stop after this many seconds." };
        var linger = new Option<double>("--linger") { Description = "Seconds to keep serving after a bounded run ends (for resyncs and late readers).", DefaultValueFactory = _ => 10 };
        var faults = new Option<string[]>("--fault")
        {
            Description = "Inject a fault: NAME=RATE, repeatable. Names: " + string.Join(", ", SimulatorFaultNames.All.Select(f => f.Name)) + ".",
            HelpName = "NAME=RATE",
        };
        var noKeyRotations = new Option<bool>("--no-key-rotations") { Description = "Never rotate signing keys (old commits then keep verifying against current DID documents)." };
        var noAccountEvents = new Option<bool>("--no-account-events") { Description = "Never deactivate, take down, delete or reactivate accounts." };
        var retain = new Option<int>("--retain-frames") { Description = "Frames kept in memory for cursor replay.", DefaultValueFactory = _ => 1_000_000 };
        var pregenerate = new Option<bool>("--pregenerate")
        {
            Description = "Generate and sign the whole run first, then emit it at --rate (needs --rate above 0 and --events or --duration): "
                + "while it emits, the simulator takes little CPU from what consumes it on the same machine.",
        };
        var logDirectory = new Option<string?>("--log-dir") { Description = "Also keep every frame on disk in this directory, so that cursors older than the memory window still replay." };

        var command = new Command("sim", "Run the firehose simulator: subscribeRepos, getRepo, listRepos, DID documents and /_sim/expected on one loopback port.")
        {
            port, bind, seed, accounts, records, rate, events, duration, linger, faults, noKeyRotations, noAccountEvents, retain, logDirectory, pregenerate,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var faultRates = new Dictionary<SimulatorFault, double>();
            foreach (var assignment in parseResult.GetValue(faults) ?? [])
            {
                try
                {
                    var (fault, faultRate) = SimulatorFaultNames.ParseAssignment(assignment);
                    faultRates[fault] = faultRate;
                }
                catch (FormatException exception)
                {
                    throw new CliException(exception.Message, exception);
                }
            }

            var options = new SimulatorOptions
            {
                Port = parseResult.GetValue(port),
                BindAddress = parseResult.GetValue(bind)!,
                Seed = parseResult.GetValue(seed),
                Accounts = parseResult.GetValue(accounts),
                RecordsPerAccount = parseResult.GetValue(records),
                Rate = parseResult.GetValue(rate),
                Events = parseResult.GetValue(events),
                Duration = ParseDuration(parseResult.GetValue(duration)),
                Faults = faultRates,
                KeyRotations = !parseResult.GetValue(noKeyRotations),
                AccountEvents = !parseResult.GetValue(noAccountEvents),
                RetainedFrames = parseResult.GetValue(retain),
                LogDirectory = parseResult.GetValue(logDirectory),
                Pregenerate = parseResult.GetValue(pregenerate),
            };
            var lingerSeconds = parseResult.GetValue(linger);
            Validate(options, lingerSeconds);

            var output = parseResult.InvocationConfiguration.Output;
            await using var simulator = await FirehoseSimulator.StartAsync(options, cancellationToken: cancellationToken).ConfigureAwait(false);
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"sim: seed {options.Seed}, {options.Accounts} accounts; PDS/PLC {simulator.BaseUrl}  firehose {simulator.FirehoseUrl}  truth {simulator.BaseUrl}_sim/expected  stats {simulator.BaseUrl}_sim/stats")).ConfigureAwait(false);
            await output.FlushAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await simulator.Completion.WaitAsync(cancellationToken).ConfigureAwait(false);
                await Task.Delay(TimeSpan.FromSeconds(lingerSeconds), cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Ctrl+C ends an unbounded run: report what was emitted.
            }

            await output.WriteLineAsync(simulator.GetSummary().ToString()).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }

    // Every flag is checked before anything starts, each with its own message.
    private static void Validate(SimulatorOptions options, double lingerSeconds)
    {
        Require(options.Port is >= 0 and <= 65535, $"--port must be between 0 and 65535 (got {options.Port})");
        Require(IPAddress.TryParse(options.BindAddress, out _), $"--bind '{options.BindAddress}' is not an IP address");
        Require(options.Accounts >= 1, $"--accounts must be at least 1 (got {options.Accounts})");
        Require(options.RecordsPerAccount >= 0, $"--records-per-account must be 0 or more (got {options.RecordsPerAccount})");
        Require(double.IsFinite(options.Rate) && options.Rate >= 0, $"--rate must be 0 (as fast as possible) or more events per second (got {options.Rate})");
        Require(options.Events is null or >= 1, $"--events must be at least 1 (got {options.Events})");
        Require(double.IsFinite(lingerSeconds) && lingerSeconds is >= 0 and <= 86_400, $"--linger must be between 0 and 86400 seconds (got {lingerSeconds})");
        Require(options.RetainedFrames >= 1, $"--retain-frames must be at least 1 (got {options.RetainedFrames})");
        Require(options.LogDirectory is null || options.LogDirectory.Length > 0, "--log-dir needs a directory");
        Require(!options.Pregenerate || (options.Rate > 0 && (options.Events is not null || options.Duration is not null)),
            "--pregenerate needs a paced, bounded run: --rate above 0 and --events or --duration");
    }

    private static TimeSpan? ParseDuration(double? seconds)
    {
        if (seconds is not { } value)
        {
            return null;
        }

        Require(double.IsFinite(value) && value is > 0 and <= 31_536_000, $"--duration must be between 0 and 31536000 seconds (got {value})");
        return TimeSpan.FromSeconds(value);
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new CliException(message);
        }
    }
}
