using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RecordKv.Coordination;
using Serilog;
using Serilog.Events;

namespace RecordKv.Hosting;

/// <summary>The shared start-up of every RecordKv service; a service's Program.cs adds its workers and calls <see cref="RunAsync"/>.</summary>
public static class RecordKvHost
{
    /// <summary>The prefix of environment variables read as configuration (<c>RECORDKV_Nats__Servers</c> sets <c>Nats:Servers</c>).</summary>
    public const string EnvironmentPrefix = "RECORDKV_";

    /// <summary>
    /// How long the workers may take to stop after Ctrl+C/SIGTERM unless <c>RecordKv:ShutdownTimeout</c> says otherwise.
    /// The workers' own stops are bounded to a few seconds; this is the backstop.
    /// </summary>
    public static TimeSpan DefaultShutdownTimeout { get; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Creates a host builder: configuration from appsettings.json, environment variables (prefix <c>RECORDKV_</c>) and flags
    /// (<c>--Section:Key value</c>, plus the service's short <paramref name="switchMappings"/>), in increasing precedence;
    /// Serilog console logging (level from <c>Serilog:MinimumLevel</c>); the NATS connection and store opened at start-up.
    /// </summary>
    public static HostApplicationBuilder CreateBuilder(string[] args, string serviceName, IDictionary<string, string>? switchMappings = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = args,
            ApplicationName = serviceName,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.AddEnvironmentVariables(EnvironmentPrefix);
        // Flags again, last, so they win over RECORDKV_ variables; the mappings turn short flags into configuration keys.
        builder.Configuration.AddCommandLine(args, switchMappings ?? new Dictionary<string, string>());

        var logger = new LoggerConfiguration()
            .MinimumLevel.Information()
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .ReadFrom.Configuration(builder.Configuration)
            .Enrich.WithProperty("Service", serviceName)
            .WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss.fff} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}")
            .CreateLogger();
        builder.Logging.ClearProviders();
        builder.Logging.AddSerilog(logger, dispose: true);
        builder.Services.Configure<HostOptions>(options =>
        {
            options.ShutdownTimeout = builder.Configuration.GetValue("RecordKv:ShutdownTimeout", DefaultShutdownTimeout);
            options.BackgroundServiceExceptionBehavior = BackgroundServiceExceptionBehavior.StopHost;
        });
        builder.Services.AddRecordKvNats(serviceName);
        return builder;
    }

    /// <summary>Runs the host until shutdown (Ctrl+C, SIGTERM); start-up misfits are logged plainly. Returns the process exit code.</summary>
    /// <remarks>
    /// A stop is bounded: the workers get <c>RecordKv:ShutdownTimeout</c> (the host's own timeout), disposing what is left
    /// gets <see cref="DisposeTimeout"/>, and then the method returns whatever is still running, so the process exits
    /// well before a supervisor's kill (docker's 10 s, run.sh's 20 s) even when NATS is gone at the same moment.
    /// </remarks>
    public static async Task<int> RunAsync(IHost host, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(host);
        var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("RecordKv");
        var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
        long stopRequested = 0;
        using var stopping = lifetime.ApplicationStopping.Register(() =>
        {
            Interlocked.Exchange(ref stopRequested, Stopwatch.GetTimestamp());
            Log.Stopping(logger);
        });
        try
        {
            await host.StartAsync(cancellationToken).ConfigureAwait(false);
            // Waits for Ctrl+C/SIGTERM (or the token), then stops the workers within the host's ShutdownTimeout.
            await host.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
            var requested = Interlocked.Read(ref stopRequested);
            if (requested != 0)
            {
                Log.Stopped(logger, Stopwatch.GetElapsedTime(requested).TotalMilliseconds);
            }

            return Environment.ExitCode;
        }
        catch (RecordKvStoreException e)
        {
            Log.StartupRefused(logger, e.Message);
            return 2;
        }
        catch (OptionsValidationException e)
        {
            Log.StartupRefused(logger, e.Message);
            return 2;
        }
        finally
        {
            var disposing = DisposeAsync(host);
            if (await Task.WhenAny(disposing, Task.Delay(DisposeTimeout, CancellationToken.None)).ConfigureAwait(false) != disposing)
            {
                Log.DisposeTimedOut(logger, DisposeTimeout.TotalMilliseconds);
            }
        }
    }

    /// <summary>How long disposing the host (connections, loggers) may take after the workers stopped; what remains is abandoned to the process exit.</summary>
    public static TimeSpan DisposeTimeout { get; } = TimeSpan.FromSeconds(1);

    private static async Task DisposeAsync(IHost host)
    {
        if (host is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync().ConfigureAwait(false);
        }
        else
        {
            host.Dispose();
        }
    }
}
