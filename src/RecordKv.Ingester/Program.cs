using RecordKv.Hosting;
using RecordKv.Ingester;

var builder = RecordKvHost.CreateBuilder(args, "recordkv-ingester", IngesterServiceCollectionExtensions.SwitchMappings);
builder.Services.AddRecordKvIngester();
return await RecordKvHost.RunAsync(builder.Build());
