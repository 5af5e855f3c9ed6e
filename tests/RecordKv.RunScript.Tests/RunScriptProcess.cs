using System.Diagnostics;
using System.Globalization;
using System.Text;
using RecordKv.Testing;

namespace RecordKv.RunScript.Tests;

/// <summary>
/// One <c>./run.sh</c> started as the leader of its own process group (as a terminal starts a foreground job), isolated
/// from a user's instance by its own state directory and ports; disposing kills whatever it left running.
/// </summary>
internal sealed class RunScriptProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly Lock _outputLock = new();
    private readonly HashSet<int> _children = [];

    private RunScriptProcess(Process process, RunScriptSetup setup)
    {
        _process = process;
        Setup = setup;
    }

    /// <summary>The directory, ports and build choice this run uses.</summary>
    public RunScriptSetup Setup { get; }

    /// <summary>The process id of run.sh, which is also its process group id.</summary>
    public int Pid => _process.Id;

    /// <summary>Whether run.sh has exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>run.sh's exit code (after it exited).</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>Everything run.sh printed so far (stdout and stderr).</summary>
    public string Output
    {
        get
        {
            lock (_outputLock)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>
    /// Starts <c>setsid bash run.sh --sim …</c> with no RECORDKV_* variables from this environment, and SIGINT at its
    /// default: a test run started in the background of a non-interactive shell (<c>./test.sh &amp;</c>) inherits it
    /// ignored, and a shell that starts with SIGINT ignored cannot trap it, so Ctrl-C would never reach run.sh's trap.
    /// </summary>
    public static RunScriptProcess Start(RunScriptSetup setup)
    {
        var start = new ProcessStartInfo("env")
        {
            ArgumentList = { "--default-signal=INT", "setsid" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = SharedFixtures.RepositoryRoot,
        };
        foreach (var argument in setup.Arguments())
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("RECORDKV_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }

        var process = new Process { StartInfo = start };
        var run = new RunScriptProcess(process, setup);
        process.OutputDataReceived += (_, e) => run.Append(e.Data);
        process.ErrorDataReceived += (_, e) => run.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return run;
    }

    /// <summary>The processes run.sh started, as its pid file lists them (name → pid).</summary>
    public IReadOnlyDictionary<string, int> StartedProcesses()
    {
        var started = new Dictionary<string, int>(StringComparer.Ordinal);
        var path = Path.Combine(Setup.DataDirectory, "run.pids");
        if (!File.Exists(path))
        {
            return started;
        }

        foreach (var line in File.ReadAllLines(path))
        {
            var parts = line.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                started[parts[1]] = pid;
                lock (_outputLock)
                {
                    _children.Add(pid);
                }
            }
        }

        return started;
    }

    /// <summary>Sends SIGINT to run.sh's whole process group, as Ctrl-C in its terminal does.</summary>
    public Task InterruptAsync() => SignalAsync("-INT", "-" + Pid.ToString(CultureInfo.InvariantCulture));

    /// <summary>Waits for run.sh to exit; false when <paramref name="cancellationToken"/> ends first.</summary>
    public async Task<bool> WaitForExitAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _process.WaitForExitAsync(cancellationToken);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Whether a process is alive: it exists and is not a zombie.</summary>
    public static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
            var state = stat[(stat.LastIndexOf(')') + 2)..];
            return !state.StartsWith('Z') && !state.StartsWith('X');
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Kills run.sh's process group and every process its pid file named that still runs a command of this setup.</summary>
    public async ValueTask DisposeAsync()
    {
        StartedProcesses();
        if (!_process.HasExited)
        {
            await SignalAsync("-KILL", "-" + Pid.ToString(CultureInfo.InvariantCulture));
        }

        int[] children;
        lock (_outputLock)
        {
            children = [.. _children];
        }

        foreach (var pid in children)
        {
            if (IsAlive(pid) && CommandLineMentions(pid, Setup.DataDirectory, SharedFixtures.RepositoryRoot))
            {
                await SignalAsync("-KILL", pid.ToString(CultureInfo.InvariantCulture));
            }
        }

        if (!_process.HasExited)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await WaitForExitAsync(timeout.Token);
        }

        _process.Dispose();
    }

    private static bool CommandLineMentions(int pid, params string[] paths)
    {
        try
        {
            var commandLine = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/cmdline");
            return paths.Any(p => commandLine.Contains(p, StringComparison.Ordinal));
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static async Task SignalAsync(string signal, string target)
    {
        var kill = new ProcessStartInfo("kill") { UseShellExecute = false, RedirectStandardError = true };
        kill.ArgumentList.Add(signal);
        kill.ArgumentList.Add("--");
        kill.ArgumentList.Add(target);
        using var process = Process.Start(kill)!;
        await process.WaitForExitAsync();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_outputLock)
        {
            _output.AppendLine(line);
        }
    }
}
