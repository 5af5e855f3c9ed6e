using RecordKv.Contracts;
using RecordKv.Coordination;

namespace RecordKv.Ingester.Tests;

/// <summary>Unique stream and bucket names for one test.</summary>
internal sealed record TestStore(StoreNames Names, int Partitions)
{
    public static TestStore Create(int partitions = 4)
    {
        var id = "t" + Guid.NewGuid().ToString("N")[..10];
        return new TestStore(
            new StoreNames
            {
                RecordBucket = id + "_record",
                RepoBucket = id + "_repo",
                IdentityBucket = id + "_identity",
                ControlBucket = id + "_control",
                FirehoseStream = id + "_FIREHOSE",
                FirehoseSubjectPrefix = id + "_firehose",
            },
            partitions);
    }

    public RecordKvStoreOptions Options => new() { Names = Names, Partitions = Partitions };
}
