using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RecordKv.Builder;
using RecordKv.Coordination;
using RecordKv.Nats;
using Serilog;

var builder = Host.CreateApplicationBuilder(args);
builder.Configuration.AddEnvironmentVariables("RECORDKV_");
builder.Logging.ClearProviders();
builder.Logging.AddSerilog(new LoggerConfiguration().ReadFrom.Configuration(builder.Configuration).WriteTo.Console().CreateLogger(), dispose: true);
builder.Services.AddOptions<BuilderOptions>().BindConfiguration(BuilderOptions.SectionName).ValidateOnStart();
builder.Services.AddOptions<NatsOptions>().BindConfiguration("Nats");
builder.Services.AddOptions<RecordKvStoreOptions>().BindConfiguration(RecordKvStoreOptions.SectionName);
builder.Services.AddHostedService<BuilderService>();
await builder.Build().RunAsync().ConfigureAwait(false);
