using System.Diagnostics;
using System.Text;

namespace RecordKv.Pipeline.Tests;

/// <summary>A refnet node script run as a child process: stdout read line by line, stderr kept (bounded) for failure messages.</summary>
internal sealed class RefNetNodeProcess : IAsyncDisposable
{
    private const int StandardErrorCap = 64 * 1024;
    private readonly Process _process;
    private readonly StringBuilder _standardError = new();

    private RefNetNodeProcess(Process process) => _process = process;

    /// <summary>The process id.</summary>
    public int Id => _process.Id;

    /// <summary>What the script wrote to stderr so far (its last 64 KiB).</summary>
    public string StandardError
    {
        get
        {
            lock (_standardError)
            {
                return _standardError.ToString();
            }
        }
    }

    /// <summary>Starts <c>node script args…</c> in the refnet folder.</summary>
    public static RefNetNodeProcess Start(string script, IEnumerable<string> arguments)
    {
        var startInfo = new ProcessStartInfo("node")
        {
            WorkingDirectory = Path.GetDirectoryName(script)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add(script);
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = startInfo };
        var node = new RefNetNodeProcess(process);
        process.ErrorDataReceived += (_, e) => node.Remember(e.Data);
        process.Start();
        process.BeginErrorReadLine();
        return node;
    }

    /// <summary>Reads the next stdout line; null when the script ended without writing one.</summary>
    public async Task<string?> ReadLineAsync(CancellationToken cancellationToken) =>
        await _process.StandardOutput.ReadLineAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>Reads stdout to its end (so the script never blocks on a full pipe) and waits for the exit code.</summary>
    public async Task<int> WaitForExitAsync(CancellationToken cancellationToken)
    {
        await _process.StandardOutput.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        await _process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        return _process.ExitCode;
    }

    /// <summary>Kills the script and everything it started.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await _process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is InvalidOperationException or OperationCanceledException or System.ComponentModel.Win32Exception)
        {
            // Already gone, or not reaped in time; the script's own --ttl / --max-seconds ends it regardless.
        }

        _process.Dispose();
    }

    private void Remember(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_standardError)
        {
            _standardError.AppendLine(line);
            if (_standardError.Length > StandardErrorCap)
            {
                _standardError.Remove(0, _standardError.Length - StandardErrorCap);
            }
        }
    }
}
