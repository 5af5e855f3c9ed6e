using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RecordKv.Coordination;
using RecordKv.Nats;

namespace RecordKv.Hosting;

/// <summary>Registration of the NATS connection and the store bootstrap.</summary>
public static class RecordKvServiceCollectionExtensions
{
    /// <summary>
    /// Binds <c>Nats</c> (<see cref="RecordKvNatsSettings"/>) and <c>RecordKv</c> (<see cref="RecordKvStoreOptions"/>), and registers
    /// <see cref="RecordKvConnection"/>, opened at start-up before the services registered after this call. The resolved
    /// <see cref="NatsOptions"/> are also available as <c>IOptions&lt;NatsOptions&gt;</c>.
    /// </summary>
    public static IServiceCollection AddRecordKvNats(this IServiceCollection services, string connectionName)
    {
        services.AddOptions<RecordKvNatsSettings>().BindConfiguration(RecordKvNatsSettings.SectionName).ValidateOnStart();
        services.AddOptions<RecordKvStoreOptions>()
            .BindConfiguration(RecordKvStoreOptions.SectionName)
            .Validate(
                static options =>
                {
                    try
                    {
                        options.Validate();
                        return true;
                    }
                    catch (RecordKvStoreException)
                    {
                        return false;
                    }
                },
                $"RecordKv options are invalid: Partitions must be 1 to {Contracts.DidPartitioner.MaxPartitionCount}, stream limits positive.")
            .ValidateOnStart();
        services.AddSingleton(provider =>
        {
            var settings = provider.GetRequiredService<IOptions<RecordKvNatsSettings>>().Value;
            // Nats:Servers is a list (Nats:Servers:0, …) or one comma-separated value (RECORDKV_Nats__Servers=a,b); a list
            // wins. So the services' appsettings.json give the default as one value, which either form overrides.
            var scalar = settings.Servers.Length == 0 ? provider.GetRequiredService<IConfiguration>()[RecordKvNatsSettings.SectionName + ":Servers"] : null;
            return new NatsOptions
            {
                Servers = scalar is null ? settings.ServerList() : new RecordKvNatsSettings { Servers = [scalar] }.ServerList(),
                Name = settings.Name ?? connectionName,
                User = settings.User,
                Password = settings.Password,
                Token = settings.Token,
                Tls = settings.TlsCaFile is null ? null : new NatsTlsOptions { CaFile = settings.TlsCaFile },
                // The services outlive NATS restarts: reconnect forever.
                MaxReconnectAttempts = -1,
                LoggerFactory = provider.GetRequiredService<ILoggerFactory>(),
            };
        });
        // Workers that open their own connections take IOptions<NatsOptions>: the same resolved settings (server list,
        // credentials, TLS, reconnect forever), never a second, partial binding of the Nats section.
        services.AddSingleton<IOptions<NatsOptions>>(provider => Options.Create(provider.GetRequiredService<NatsOptions>()));
        services.AddSingleton(provider => new RecordKvConnection(
            provider.GetRequiredService<NatsOptions>(),
            provider.GetRequiredService<IOptions<RecordKvStoreOptions>>().Value,
            provider.GetRequiredService<ILoggerFactory>()));
        services.AddHostedService<RecordKvStartupService>();
        return services;
    }

    /// <summary>Binds options of type <typeparamref name="T"/> from <paramref name="section"/> with validation at start-up.</summary>
    public static OptionsBuilder<T> AddRecordKvOptions<T>(this IServiceCollection services, string section)
        where T : class
    {
        return services.AddOptions<T>().BindConfiguration(section).ValidateOnStart();
    }
}
