using RecordKv.Nats.JetStream;
using RecordKv.Testing;
using static RecordKv.Nats.Tests.JetStream.JetStreamTestSupport;

namespace RecordKv.Nats.Tests.JetStream;

[Collection(JetStreamCollection.Name)]
public sealed class NatsJetStreamContextTests(NatsServerFixture fixture)
{
    [Fact]
    public async Task CreateStreamAsync_NewStream_ReturnsConfigAndEmptyState()
    {
        var token = NatsServerFixture.TestTimeout();
        await using var connection = await ConnectAsync(fixture.Url, token);
        var js = new NatsJetStreamContext(connection);
        var name = UniqueName("S");

        var info = await CreateStreamAsync(js, name, c => c with { MaxMsgsPerSubject = 3, Storage = StreamStorageType.Memory, Description = "d" }, token);

        info.Config.Name.ShouldBe(name);
        info.Config.Subjects.ShouldBe([name + ".>"]);
        info.Config.MaxMsgsPerSubject.ShouldBe(3);
        info.Config.Storage.ShouldBe(StreamStorageType.Memory);
        info.Config.Description.ShouldBe("d");
        info.Config.DuplicateWindow.ShouldBe(TimeSpan.FromMinutes(2));
        info.State.Messages.ShouldBe(0UL);
    }

    [Fact]
    public async Task CreateStreamAsync_NameTakenWithOtherConfig_ThrowsWithServerCodes()
    {
        var token = NatsServerFixture.TestTimeout();
        await using var connection = await ConnectAsync(fixture.Url, token);
        var js = new NatsJetStreamContext(connection);
        var name = UniqueName("S");
        await CreateStreamAsync(js, name, cancellationToken: token);

        var error = await Should.ThrowAsync<NatsJetStreamException>(() => js.CreateStreamAsync(new StreamConfig { Name = name, Subjects = ["other." + name] }, token));

        error.Code.ShouldBe(400);
        error.ErrorCode.ShouldBe(10058);
        error.Description.ShouldNotBeNullOrEmpty();
    }

    [Fact]
    public async Task UpdateStreamAsync_NewLimit_IsInForce()
    {
        var token = NatsServerFixture.TestTimeout();
        await using var connection = await ConnectAsync(fixture.Url, token);
        var js = new NatsJetStreamContext(connection);
        var name = UniqueName("S");
        var created = await CreateStreamAsync(js, name, cancellationToken: token);

        var updated = await js.UpdateStreamAsync(created.Config with { MaxMsgs = 10, Subjects = [name + ".>", name + "2"] }, token);

        updated.Config.MaxMsgs.ShouldBe(10);
        (await js.GetStreamInfoAsync(name, token)).Config.Subjects!.Count.ShouldBe(2);
    }

    [Fact]
    public async Task GetStreamInfoAsync_MissingStream_ThrowsNotFound()
    {
        var token = NatsServerFixture.TestTimeout();
        await using var connection = await ConnectAsync(fixture.Url, token);
        var js = new NatsJetStreamContext(connection);

        var error = await Should.ThrowAsync<NatsJetStreamNotFoundException>(() => js.GetStreamInfoAsync(UniqueName("missing"), token));

        error.Code.ShouldBe(404);
        error.ErrorCode.ShouldBe(10059);
    }

    [Fact]
    public async Task DeleteStreamAsync_Existing_DisappearsFromNames()
    {
        var token = NatsServerFixture.TestTimeout();
        await using var connection = await ConnectAsync(fixture.Url, token);
        var js = new NatsJetStreamContext(connection);
        var name = UniqueName("S");
        await CreateStreamAsync(js, name, cancellationToken: token);
        (await js.ListStreamNamesAsync(cancellationToken: token)).ShouldContain(name);
        (await js.ListStreamNamesAsync(name + ".x", token)).ShouldBe([name]);

        await js.DeleteStreamAsync(name, token);

        (await js.ListStreamNamesAsync(cancellationToken: token)).ShouldNotContain(name);
        await Should.ThrowAsync<NatsJetStreamNotFoundException>(() => js.DeleteStreamAsync(name, token));
    }

    [Fact]
    public async Task PurgeStreamAsync_SubjectKeepAndAll_RemoveOnlyWhatWasAsked()
    {
        var token = NatsServerFixture.TestTimeout();
        await using var connection = await ConnectAsync(fixture.Url, token);
        var js = new NatsJetStreamContext(connection);
        var name = UniqueName("S");
        await CreateStreamAsync(js, name, cancellationToken: token);
        for (var i = 0; i < 5; i++)
        {
            await js.PublishAsync(name + ".a", Utf8("a" + i), cancellationToken: token);
            await js.PublishAsync(name + ".b", Utf8("b" + i), cancellationToken: token);
        }

        (await js.PurgeStreamAsync(name, new StreamPurgeRequest { Filter = name + ".a", Keep = 2 }, token)).ShouldBe(3UL);
        (await js.PurgeStreamAsync(name, new StreamPurgeRequest { Filter = name + ".b" }, token)).ShouldBe(5UL);
        var last = await js.GetLastMessageAsync(name, name + ".a", token);
        Text(last.Data).ShouldBe("a4");
        (await js.GetStreamInfoAsync(name, token)).State.Messages.ShouldBe(2UL);

        (await js.PurgeStreamAsync(name, cancellationToken: token)).ShouldBe(2UL);
        (await js.GetStreamInfoAsync(name, token)).State.Messages.ShouldBe(0UL);
    }

    [Fact]
    public async Task GetMessageAsync_BySequenceAndLastBySubject_ReturnsStoredMessageWithHeaders()
    {
        var token = NatsServerFixture.TestTimeout();
        await using var connection = await ConnectAsync(fixture.Url, token);
        var js = new NatsJetStreamContext(connection);
        var name = UniqueName("S");
        await CreateStreamAsync(js, name, cancellationToken: token);
        var headers = new NatsHeaders().Add("X-Test", "value 1");
        var first = await js.PublishAsync(name + ".a", Utf8("first"), headers, cancellationToken: token);
        await js.PublishAsync(name + ".a", Utf8("second"), cancellationToken: token);

        var bySequence = await js.GetMessageAsync(name, first.Sequence, token);
        var last = await js.GetLastMessageAsync(name, name + ".a", token);

        bySequence.Subject.ShouldBe(name + ".a");
        bySequence.Sequence.ShouldBe(first.Sequence);
        Text(bySequence.Data).ShouldBe("first");
        bySequence.Headers!.GetLastValue("X-Test").ShouldBe("value 1");
        bySequence.Time.ShouldBeGreaterThan(DateTimeOffset.UtcNow.AddMinutes(-1));
        Text(last.Data).ShouldBe("second");
        last.Sequence.ShouldBe(first.Sequence + 1);
        await Should.ThrowAsync<NatsJetStreamNotFoundException>(() => js.GetMessageAsync(name, 99, token));
    }

    [Fact]
    public async Task DirectGetAsync_AllowDirect_ReturnsMessageFromAnyReplica()
    {
        var token = NatsServerFixture.TestTimeout();
        await using var connection = await ConnectAsync(fixture.Url, token);
        var js = new NatsJetStreamContext(connection);
        var name = UniqueName("S");
        await CreateStreamAsync(js, name, c => c with { AllowDirect = true }, token);
        var ack = await js.PublishAsync(name + ".k", Utf8("direct"), new NatsHeaders().Add("X-A", "1"), cancellationToken: token);

        var byLast = await js.DirectGetAsync(name, new StreamMsgGetRequest { LastBySubj = name + ".k" }, token);
        var bySequence = await js.DirectGetAsync(name, new StreamMsgGetRequest { Seq = ack.Sequence }, token);

        byLast.Sequence.ShouldBe(ack.Sequence);
        byLast.Subject.ShouldBe(name + ".k");
        Text(byLast.Data).ShouldBe("direct");
        byLast.Headers!.GetLastValue("X-A").ShouldBe("1");
        byLast.Time.ShouldBeGreaterThan(DateTimeOffset.UtcNow.AddMinutes(-1));
        Text(bySequence.Data).ShouldBe("direct");
        await Should.ThrowAsync<NatsJetStreamNotFoundException>(() => js.DirectGetAsync(name, new StreamMsgGetRequest { LastBySubj = name + ".none" }, token));
    }

    [Fact]
    public async Task PublishAsync_ToStream_ReturnsIncreasingSequences()
    {
        var token = NatsServerFixture.TestTimeout();
        await using var connection = await ConnectAsync(fixture.Url, token);
        var js = new NatsJetStreamContext(connection);
        var name = UniqueName("S");
        await CreateStreamAsync(js, name, cancellationToken: token);

        var first = await js.PublishAsync(name + ".x", Utf8("1"), cancellationToken: token);
        var second = await js.PublishAsync(name + ".x", Utf8("2"), cancellationToken: token);

        first.ShouldBe(new PubAck(name, 1, false, null));
        second.Sequence.ShouldBe(2UL);
    }

    [Fact]
    public async Task PublishAsync_SameMsgId_IsReportedDuplicateAndStoredOnce()
    {
        var token = NatsServerFixture.TestTimeout();
        await using var connection = await ConnectAsync(fixture.Url, token);
        var js = new NatsJetStreamContext(connection);
        var name = UniqueName("S");
        await CreateStreamAsync(js, name, cancellationToken: token);
        var options = new NatsJetStreamPublishOptions { MsgId = "id-1" };

        var first = await js.PublishAsync(name + ".x", Utf8("1"), options: options, cancellationToken: token);
        var again = await js.PublishAsync(name + ".x", Utf8("1"), options: options, cancellationToken: token);

        first.Duplicate.ShouldBeFalse();
        again.Duplicate.ShouldBeTrue();
        again.Sequence.ShouldBe(first.Sequence);
        (await js.GetStreamInfoAsync(name, token)).State.Messages.ShouldBe(1UL);
    }

    [Fact]
    public async Task PublishAsync_ExpectationsHeld_SucceedAndBrokenOnesThrow()
    {
        var token = NatsServerFixture.TestTimeout();
        await using var connection = await ConnectAsync(fixture.Url, token);
        var js = new NatsJetStreamContext(connection);
        var name = UniqueName("S");
        await CreateStreamAsync(js, name, cancellationToken: token);
        var callerHeaders = new NatsHeaders().Add("X-Mine", "1");

        var first = await js.PublishAsync(name + ".a", Utf8("1"), callerHeaders, new NatsJetStreamPublishOptions { ExpectedStream = name, ExpectedLastSequence = 0, ExpectedLastSubjectSequence = 0 }, token);
        await js.PublishAsync(name + ".a", Utf8("2"), options: new NatsJetStreamPublishOptions { ExpectedLastSubjectSequence = first.Sequence }, cancellationToken: token);

        callerHeaders.Count.ShouldBe(1);
        var subject = await Should.ThrowAsync<NatsJetStreamWrongLastSequenceException>(() =>
            js.PublishAsync(name + ".a", Utf8("3"), options: new NatsJetStreamPublishOptions { ExpectedLastSubjectSequence = first.Sequence }, cancellationToken: token));
        subject.ErrorCode.ShouldBe(10071);
        await Should.ThrowAsync<NatsJetStreamWrongLastSequenceException>(() =>
            js.PublishAsync(name + ".a", Utf8("3"), options: new NatsJetStreamPublishOptions { ExpectedLastSequence = 1 }, cancellationToken: token));
        await Should.ThrowAsync<NatsJetStreamWrongLastSequenceException>(() =>
            js.PublishAsync(name + ".a", Utf8("3"), options: new NatsJetStreamPublishOptions { ExpectedStream = "other" }, cancellationToken: token));
        (await js.GetStreamInfoAsync(name, token)).State.Messages.ShouldBe(2UL);
    }

    [Fact]
    public async Task PublishAsync_NoStreamCapturesSubject_ThrowsNoResponders()
    {
        var token = NatsServerFixture.TestTimeout();
        await using var connection = await ConnectAsync(fixture.Url, token);
        var js = new NatsJetStreamContext(connection);

        var error = await Should.ThrowAsync<NatsJetStreamException>(() => js.PublishAsync(UniqueName("nostream"), Utf8("x"), cancellationToken: token));

        error.Code.ShouldBe(503);
    }
}
