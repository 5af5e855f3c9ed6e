using Microsoft.Extensions.DependencyInjection;
using RecordKv.Builder;
using RecordKv.Coordination;
using RecordKv.Hosting;
using RecordKv.Nats;

var builder = RecordKvHost.CreateBuilder(args, "recordkv-builder");
builder.Services.AddOptions<BuilderOptions>().BindConfiguration(BuilderOptions.SectionName).ValidateOnStart();
builder.Services.AddOptions<BackfillOptions>().BindConfiguration(BackfillOptions.SectionName);
builder.Services.AddOptions<NatsOptions>().BindConfiguration("Nats");
builder.Services.AddOptions<RecordKvStoreOptions>().BindConfiguration(RecordKvStoreOptions.SectionName);
builder.Services.AddHostedService<BuilderService>();
return await RecordKvHost.RunAsync(builder.Build()).ConfigureAwait(false);
