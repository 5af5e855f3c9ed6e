using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using RecordKv.Contracts;
using RecordKv.Nats;
using RecordKv.Nats.JetStream;

namespace RecordKv.Coordination;

/// <summary>
/// The BACKFILL stream: a work queue of <see cref="BackfillJob"/>s on <c>backfill.&lt;p&gt;</c>, consumed by the builder
/// holding partition p through the durable consumer <c>kv-backfill-&lt;p&gt;</c>; an acked job is gone, and a job
/// enqueued again within the duplicate window (same run, same DID) is dropped by its <c>Nats-Msg-Id</c>.
/// </summary>
public static class BackfillQueue
{
    /// <summary>The durable consumer of one partition's backfill jobs.</summary>
    public static string ConsumerName(int partition) => string.Create(CultureInfo.InvariantCulture, $"kv-backfill-{partition}");

    /// <summary>The <c>Nats-Msg-Id</c> of a job: one per run and DID.</summary>
    public static string MessageId(string runId, string did) => $"backfill:{runId}:{did}";

    /// <summary>Creates the BACKFILL stream when missing (idempotent; safe when several services start together).</summary>
    public static async Task<StreamInfo> EnsureStreamAsync(NatsJetStreamContext jetStream, RecordKvStoreOptions options, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jetStream);
        ArgumentNullException.ThrowIfNull(options);
        var names = options.Names;
        return await RecordKvStore.EnsureStreamAsync(
            jetStream,
            new StreamConfig
            {
                Name = names.BackfillStream,
                Description = "RecordKv: backfill jobs, one resync per repository, work queue by DID partition",
                Subjects = [names.BackfillSubjectPrefix + ".*"],
                Retention = StreamRetentionPolicy.WorkQueue,
                DuplicateWindow = options.BackfillDuplicateWindow,
                Discard = StreamDiscardPolicy.Old,
                Storage = StreamStorageType.File,
                NumReplicas = options.Replicas,
            },
            logger,
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Publishes one job to its partition's subject; true when the stream stored it, false when it was a duplicate.</summary>
    public static async Task<bool> EnqueueAsync(NatsJetStreamContext jetStream, StoreNames names, DidPartitioner partitioner, BackfillJob job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jetStream);
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(partitioner);
        ArgumentNullException.ThrowIfNull(job);
        var headers = new NatsHeaders().Add(AtprotoHeaders.Did, job.Did);
        var ack = await jetStream.PublishAsync(
            names.BackfillSubject(partitioner.PartitionOf(job.Did)),
            EncodeJob(job),
            headers,
            new NatsJetStreamPublishOptions { MsgId = MessageId(job.Run, job.Did), ExpectedStream = names.BackfillStream },
            cancellationToken).ConfigureAwait(false);
        return !ack.Duplicate;
    }

    /// <summary>The JSON body of a job.</summary>
    public static byte[] EncodeJob(BackfillJob job) => JsonSerializer.SerializeToUtf8Bytes(job, BackfillJsonContext.Default.BackfillJob);

    /// <summary>Reads a job body; throws <see cref="JsonException"/> when it is not one.</summary>
    public static BackfillJob DecodeJob(ReadOnlySpan<byte> json) =>
        JsonSerializer.Deserialize(json, BackfillJsonContext.Default.BackfillJob) ?? throw new JsonException("a backfill job must be a JSON object");

    /// <summary>The JSON value of a run state.</summary>
    public static byte[] EncodeRunState(BackfillRunState state) => JsonSerializer.SerializeToUtf8Bytes(state, BackfillJsonContext.Default.BackfillRunState);

    /// <summary>Reads a run state; throws <see cref="JsonException"/> when it is not one.</summary>
    public static BackfillRunState DecodeRunState(ReadOnlySpan<byte> json) =>
        JsonSerializer.Deserialize(json, BackfillJsonContext.Default.BackfillRunState) ?? throw new JsonException("a backfill run state must be a JSON object");

    /// <summary>The JSON value of one instance's progress.</summary>
    public static byte[] EncodeProgress(BackfillProgress progress) => JsonSerializer.SerializeToUtf8Bytes(progress, BackfillJsonContext.Default.BackfillProgress);

    /// <summary>Reads one instance's progress; throws <see cref="JsonException"/> when it is not one.</summary>
    public static BackfillProgress DecodeProgress(ReadOnlySpan<byte> json) =>
        JsonSerializer.Deserialize(json, BackfillJsonContext.Default.BackfillProgress) ?? throw new JsonException("a backfill progress must be a JSON object");
}
