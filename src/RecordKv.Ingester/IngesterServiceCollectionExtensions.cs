using Microsoft.Extensions.DependencyInjection;
using RecordKv.Hosting;

namespace RecordKv.Ingester;

/// <summary>Registration of the ingester.</summary>
public static class IngesterServiceCollectionExtensions
{
    /// <summary>Command-line short flags of the ingester: <c>--cursor</c>, <c>--host</c>, <c>--source</c>.</summary>
    public static IDictionary<string, string> SwitchMappings { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["--cursor"] = "Ingester:Cursor",
        ["--host"] = "Ingester:Host",
        ["--source"] = "Ingester:Source",
    };

    /// <summary>Adds the ingester's options (section <c>Ingester</c>), statistics and its lease-holding worker.</summary>
    public static IServiceCollection AddRecordKvIngester(this IServiceCollection services)
    {
        services.AddRecordKvOptions<IngesterOptions>(IngesterOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(static o => !o.Problems().Any(), "Ingester options are inconsistent (see docs/pipeline.md): check the water marks, delays, lease timing and host.");
        services.AddSingleton<IngesterStats>();
        services.AddHostedService<IngesterService>();
        return services;
    }
}
