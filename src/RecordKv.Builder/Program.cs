using Microsoft.Extensions.DependencyInjection;
using RecordKv.Builder;
using RecordKv.Hosting;

// Nats and RecordKv options (and IOptions<NatsOptions>) come from RecordKvHost; the builder adds its own section and worker.
var builder = RecordKvHost.CreateBuilder(args, "recordkv-builder");
builder.Services.AddOptions<BuilderOptions>().BindConfiguration(BuilderOptions.SectionName).ValidateOnStart();
builder.Services.AddOptions<BackfillOptions>().BindConfiguration(BackfillOptions.SectionName);
builder.Services.AddHostedService<BuilderService>();
return await RecordKvHost.RunAsync(builder.Build()).ConfigureAwait(false);
