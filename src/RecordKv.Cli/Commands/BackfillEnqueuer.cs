using RecordKv.Contracts;
using RecordKv.Coordination;
using RecordKv.Nats.JetStream;
using RecordKv.Nats.KeyValue;

namespace RecordKv.Cli.Commands;

/// <summary>
/// Pages listRepos from the run's saved cursor and enqueues one <see cref="BackfillJob"/> per repository, saving the
/// cursor and counts in the control bucket (compare-and-set on the key's revision) after each page is fully
/// acknowledged by JetStream. An interrupted page is enqueued again on the next run; its jobs' <c>Nats-Msg-Id</c>s
/// make the stream drop the ones it already holds.
/// </summary>
internal sealed class BackfillEnqueuer
{
    private const int PublishBatch = 128;
    private readonly BackfillHostClient _host;
    private readonly NatsJetStreamContext _jetStream;
    private readonly NatsKvStore _control;
    private readonly StoreNames _names;
    private readonly DidPartitioner _partitioner;
    private readonly int _pageSize;

    public BackfillEnqueuer(BackfillHostClient host, NatsJetStreamContext jetStream, NatsKvStore control, StoreNames names, DidPartitioner partitioner, int pageSize)
    {
        _host = host;
        _jetStream = jetStream;
        _control = control;
        _names = names;
        _partitioner = partitioner;
        _pageSize = pageSize;
    }

    /// <summary>Enqueues until listRepos ends; returns the final state and its revision. <paramref name="onPage"/> sees the state after each page.</summary>
    public async Task<(BackfillRunState State, ulong Revision)> RunAsync(BackfillRunState state, ulong revision, IReadOnlySet<string>? dids, Action<BackfillRunState> onPage, CancellationToken cancellationToken)
    {
        var key = ControlKeys.BackfillRun(state.Host);
        while (!state.ListingComplete)
        {
            var page = await _host.ListReposAsync(state.Cursor, _pageSize, cancellationToken).ConfigureAwait(false);
            var enqueued = await EnqueuePageAsync(state, page, dids, cancellationToken).ConfigureAwait(false);
            var complete = page.Cursor is null || page.Repos.Count == 0 || page.Cursor == state.Cursor;
            var next = state with
            {
                Cursor = complete ? state.Cursor : page.Cursor,
                Listed = state.Listed + page.Repos.Count,
                Enqueued = state.Enqueued + enqueued,
                ListingComplete = complete,
            };

            // The page counts once it is saved; a crash before this line lists (and dedups) it again.
            revision = await SaveAsync(key, next, revision, CancellationToken.None).ConfigureAwait(false);
            state = next;
            onPage(state);
        }

        return (state, revision);
    }

    /// <summary>Writes the run state at <paramref name="revision"/>; a concurrent writer (another backfill of the host) is a clear error.</summary>
    public async Task<ulong> SaveAsync(string key, BackfillRunState state, ulong revision, CancellationToken cancellationToken)
    {
        try
        {
            return await _control.UpdateAsync(key, BackfillQueue.EncodeRunState(state), revision, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (NatsJetStreamWrongLastSequenceException exception)
        {
            throw new CliException($"another recordkv backfill of {state.Host} changed its state meanwhile; run one at a time", exception);
        }
    }

    private async Task<int> EnqueuePageAsync(BackfillRunState state, BackfillListReposPage page, IReadOnlySet<string>? dids, CancellationToken cancellationToken)
    {
        var tasks = new List<Task<bool>>(PublishBatch);
        var enqueued = 0;
        foreach (var repo in page.Repos)
        {
            if (dids is not null && !dids.Contains(repo.Did))
            {
                continue;
            }

            var job = new BackfillJob
            {
                Did = repo.Did,
                Run = state.RunId,
                Host = state.Host,
                Active = repo.Active,
                Status = repo.Active ? null : repo.Status,
                Collections = state.Collections,
            };
            tasks.Add(BackfillQueue.EnqueueAsync(_jetStream, _names, _partitioner, job, cancellationToken));
            enqueued++;
            if (tasks.Count >= PublishBatch)
            {
                await Task.WhenAll(tasks).ConfigureAwait(false);
                tasks.Clear();
            }
        }

        await Task.WhenAll(tasks).ConfigureAwait(false);
        return enqueued;
    }
}
