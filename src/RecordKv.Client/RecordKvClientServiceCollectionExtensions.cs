using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace RecordKv.Client;

/// <summary>Registers <see cref="RecordKvClient"/> with options bound from configuration.</summary>
public static class RecordKvClientServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="RecordKvClientOptions"/> from the <c>RecordKvClient</c> section (then <paramref name="configure"/>) and
    /// registers one <see cref="RecordKvClient"/> singleton that connects on first use.
    /// </summary>
    public static IServiceCollection AddRecordKvClient(this IServiceCollection services, Func<RecordKvClientOptions, RecordKvClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<RecordKvClientOptions>().BindConfiguration(RecordKvClientOptions.SectionName);
        services.AddSingleton(provider =>
        {
            var options = provider.GetRequiredService<IOptions<RecordKvClientOptions>>().Value;
            return new RecordKvClient(configure is null ? options : configure(options));
        });
        return services;
    }
}
