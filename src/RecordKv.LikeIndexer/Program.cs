using Microsoft.Extensions.DependencyInjection;
using RecordKv.Hosting;
using RecordKv.LikeIndexer;

var builder = RecordKvHost.CreateBuilder(args, "like-indexer");
builder.Services.AddRecordKvOptions<LikeIndexerOptions>(LikeIndexerOptions.SectionName);
builder.Services.AddHostedService<LikeIndexerService>();
return await RecordKvHost.RunAsync(builder.Build());
