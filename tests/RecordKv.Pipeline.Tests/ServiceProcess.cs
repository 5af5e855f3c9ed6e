using System.Diagnostics;
using System.Runtime.InteropServices;

namespace RecordKv.Pipeline.Tests;

/// <summary>
/// A RecordKv service (ingester, builder) as a child process, <c>dotnet &lt;Service&gt;.dll</c> from the test output
/// directory (the project references build and copy it), configured by environment variables, so a test can SIGKILL
/// or SIGTERM it. Its output is kept (the last lines) for failure messages.
/// </summary>
internal sealed partial class ServiceProcess : IAsyncDisposable
{
    private const int KeptLines = 60;
    private const int SigTerm = 15;

    private readonly Process _process;
    private readonly Queue<string> _lines = new();
    private readonly Lock _linesLock = new();
    private StreamWriter? _fullLog;

    private ServiceProcess(string name, Process process)
    {
        Name = name;
        _process = process;
        // RECORDKV_TEST_CHILD_LOGS=<dir> keeps every child's whole output (one file each) for a failure investigation.
        if (Environment.GetEnvironmentVariable("RECORDKV_TEST_CHILD_LOGS") is { Length: > 0 } directory)
        {
            Directory.CreateDirectory(directory);
            _fullLog = new StreamWriter(Path.Combine(directory, $"{DateTime.UtcNow:HHmmss.fff}-{name.Replace(' ', '-')}.log")) { AutoFlush = true };
        }
    }

    /// <summary>A name for messages (e.g. <c>builder b2-1</c>).</summary>
    public string Name { get; }

    /// <summary>The process id.</summary>
    public int Id => _process.Id;

    /// <summary>Whether the process has ended.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>The exit code (only after it ended).</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>The last lines the process wrote, stdout and stderr interleaved.</summary>
    public string RecentOutput
    {
        get
        {
            lock (_linesLock)
            {
                return $"--- {Name} (pid {_process.Id}) ---\n" + string.Join('\n', _lines);
            }
        }
    }

    /// <summary>Starts <c>dotnet &lt;assembly&gt;.dll</c> with only the given RECORDKV_ variables (none inherited from the test run).</summary>
    public static ServiceProcess Start(string name, string assembly, IReadOnlyDictionary<string, string> environment)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, assembly + ".dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"{dll} is missing: the test project must reference the service's project.", dll);
        }

        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(dll);
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("RECORDKV_", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(key);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = new Process { StartInfo = start };
        var child = new ServiceProcess(name, process);
        process.OutputDataReceived += (_, e) => child.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => child.Keep(e.Data);
        if (!process.Start())
        {
            throw new InvalidOperationException($"{name}: dotnet did not start.");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>SIGKILL, and waits until it is gone: no shutdown code runs, nothing is released or saved.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            try
            {
                _process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // It ended by itself meanwhile.
            }
        }

        await _process.WaitForExitAsync().ConfigureAwait(false);
    }

    /// <summary>SIGTERM: asks for a graceful stop (what systemd, docker and run.sh send).</summary>
    public void Terminate()
    {
        if (SendSignal(_process.Id, SigTerm) != 0)
        {
            throw new InvalidOperationException($"{Name}: kill({_process.Id}, SIGTERM) failed with errno {Marshal.GetLastPInvokeError()}.");
        }
    }

    /// <summary>Waits until the process has ended; false when <paramref name="timeout"/> passed first.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var wait = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(wait.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Kills the process if it still runs (tests dispose every child, also when they fail).</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await KillAsync().ConfigureAwait(false);
        }
        finally
        {
            _process.Dispose();
            lock (_linesLock)
            {
                _fullLog?.Dispose();
                _fullLog = null;
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SendSignal(int pid, int signal);

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_linesLock)
        {
            _fullLog?.WriteLine(line);
            _lines.Enqueue(line);
            while (_lines.Count > KeptLines)
            {
                _lines.Dequeue();
            }
        }
    }
}
