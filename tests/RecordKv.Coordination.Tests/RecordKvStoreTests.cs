using RecordKv.Contracts;
using RecordKv.Testing;
using static RecordKv.Coordination.Tests.CoordinationTestSupport;

namespace RecordKv.Coordination.Tests;

[Collection(CoordinationCollection.Name)]
public sealed class RecordKvStoreTests(NatsServerFixture fixture)
{
    private static RecordKvStoreOptions UniqueStore(int partitions = 8)
    {
        var id = UniqueName("s");
        return new RecordKvStoreOptions
        {
            Partitions = partitions,
            Names = new StoreNames
            {
                RecordBucket = id + "_record",
                RepoBucket = id + "_repo",
                IdentityBucket = id + "_identity",
                ControlBucket = id + "_control",
                FirehoseStream = id + "_FIREHOSE",
                FirehoseSubjectPrefix = id + "_firehose",
            },
        };
    }

    [Fact]
    public async Task OpenAsync_Twice_CreatesOnceAndBindsAfter()
    {
        var token = NatsServerFixture.TestTimeout();
        await using var connection = await ConnectAsync(fixture.Url, token);
        var options = UniqueStore();

        var first = await RecordKvStore.OpenAsync(connection, options, cancellationToken: token);
        var second = await RecordKvStore.OpenAsync(connection, options, cancellationToken: token);

        second.Firehose.Created.ShouldBe(first.Firehose.Created);
        second.Firehose.Config.Subjects.ShouldBe([options.Names.FirehoseSubjectPrefix + ".*"]);
        second.Firehose.Config.MaxMsgSize.ShouldBeGreaterThanOrEqualTo(5 * 1024 * 1024);
        second.Firehose.Config.MaxAge.ShouldBe(TimeSpan.FromHours(72));
        second.Firehose.Config.DuplicateWindow.ShouldBe(TimeSpan.FromMinutes(5));
        var config = await second.Control.GetAsync(ControlKeys.Config, token);
        RecordKvStore.DecodePartitions(config!.Value.Span).ShouldBe(8);
        config.Revision.ShouldBe(1ul, "the config key is written once");
        second.Records.Bucket.ShouldBe(options.Names.RecordBucket);
        second.Partitioner.PartitionCount.ShouldBe(8);
    }

    [Fact]
    public async Task OpenAsync_ConcurrentStarts_AllAgree()
    {
        var token = NatsServerFixture.TestTimeout();
        await using var connection = await ConnectAsync(fixture.Url, token);
        var options = UniqueStore();

        var stores = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => RecordKvStore.OpenAsync(connection, options, cancellationToken: token)));

        stores.Select(s => s.Firehose.Config.Name).Distinct().ShouldHaveSingleItem();
    }

    [Fact]
    public async Task OpenAsync_PartitionCountMismatch_ThrowsNamingBoth()
    {
        var token = NatsServerFixture.TestTimeout();
        await using var connection = await ConnectAsync(fixture.Url, token);
        var options = UniqueStore(8);
        await RecordKvStore.OpenAsync(connection, options, cancellationToken: token);

        var error = await Should.ThrowAsync<RecordKvStoreException>(() => RecordKvStore.OpenAsync(connection, options with { Partitions = 16 }, cancellationToken: token));

        error.Message.ShouldContain("created with 8 partitions");
        error.Message.ShouldContain("configured with 16");
    }

    [Fact]
    public async Task OpenAsync_ExistingStreamWithSmallMessages_RaisesMaxMessageSize()
    {
        var token = NatsServerFixture.TestTimeout();
        await using var connection = await ConnectAsync(fixture.Url, token);
        var options = UniqueStore();
        await RecordKvStore.OpenAsync(connection, options with { FirehoseMaxMessageBytes = 1024 }, cancellationToken: token);

        var store = await RecordKvStore.OpenAsync(connection, options, cancellationToken: token);

        store.Firehose.Config.MaxMsgSize.ShouldBe(options.FirehoseMaxMessageBytes);
    }

    [Fact]
    public async Task OpenAsync_ServerWithDefaultMaxPayload_RefusesWithClearMessage()
    {
        var token = NatsServerFixture.TestTimeout();
        await using var server = await NatsServerProcess.StartAsync(new NatsServerProcessOptions { MaxPayload = "1MB" }, token);
        await using var connection = await ConnectAsync(server.Url, token);

        var error = await Should.ThrowAsync<RecordKvStoreException>(() => RecordKvStore.OpenAsync(connection, UniqueStore(), cancellationToken: token));

        error.Message.ShouldContain("max_payload is 1048576 bytes");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(4097)]
    public void Validate_BadPartitionCount_Throws(int partitions)
    {
        Should.Throw<RecordKvStoreException>(() => new RecordKvStoreOptions { Partitions = partitions }.Validate());
    }
}
