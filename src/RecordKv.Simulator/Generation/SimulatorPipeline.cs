using System.Diagnostics;
using System.Threading.Channels;
using RecordKv.Atproto.Firehose;
using RecordKv.Simulator.Firehose;

namespace RecordKv.Simulator.Generation;

/// <summary>
/// Runs generation → signing/encoding → publication as three stages joined by bounded channels, so that one
/// thread decides events while others sign the previous batch. Publication is in seq order, paced to the
/// configured rate, and swaps in each account's new state as its event is emitted.
/// </summary>
internal sealed class SimulatorPipeline
{
    private readonly SimulatorOptions _options;
    private readonly SimGenerator _generator;
    private readonly EventFinalizer _finalizer;
    private readonly FrameLog _log;
    private readonly SimulatorStats _stats;
    private readonly long? _eventLimit;
    private readonly Stopwatch _clock = new();
    private volatile bool _stopRequested;

    public SimulatorPipeline(SimulatorOptions options, SimGenerator generator, FrameLog log, SimulatorStats stats)
    {
        _options = options;
        _generator = generator;
        _finalizer = new EventFinalizer(options, generator.WrongSigner);
        _log = log;
        _stats = stats;
        _eventLimit = options.Events;
        if (options.Duration is { } duration && options.Rate > 0)
        {
            // At a fixed rate the duration is an event count: the run ends on a deterministic event.
            var byDuration = (long)Math.Ceiling(duration.TotalSeconds * options.Rate);
            _eventLimit = _eventLimit is { } limit ? Math.Min(limit, byDuration) : byDuration;
        }

        if (options.Pregenerate && _eventLimit is null)
        {
            throw new ArgumentException("Pregenerate needs a bounded run: Events, or Duration with a Rate above 0.", nameof(options));
        }
    }

    /// <summary>Time since publication started.</summary>
    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>Time from the first to the last published event (the run's emission time).</summary>
    public TimeSpan EmissionTime { get; private set; }

    public bool IsComplete { get; private set; }

    /// <summary>Asks generation to wind down: accounts left behind by faults still get their clean commits.</summary>
    public void RequestStop() => _stopRequested = true;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var generated = Channel.CreateBounded<List<PendingEvent>>(new BoundedChannelOptions(2) { SingleReader = true, SingleWriter = true });
        var finalized = _options.Pregenerate
            ? Channel.CreateUnbounded<List<PendingEvent>>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true })
            : Channel.CreateBounded<List<PendingEvent>>(new BoundedChannelOptions(2) { SingleReader = true, SingleWriter = true });
        _clock.Start();
        var generate = Task.Run(() => GenerateAsync(generated.Writer, cancellationToken), cancellationToken);
        var finalize = Task.Run(() => FinalizeAsync(generated.Reader, finalized.Writer, cancellationToken), cancellationToken);
        if (_options.Pregenerate)
        {
            // The whole run waits, signed, in the channel; the pace (and the run's clock) starts with the first emission.
            await Task.WhenAll(generate, finalize).ConfigureAwait(false);
            _clock.Restart();
        }

        await PublishAsync(finalized.Reader, cancellationToken).ConfigureAwait(false);
        await Task.WhenAll(generate, finalize).ConfigureAwait(false);
        EmissionTime = _clock.Elapsed;
        IsComplete = true;
    }

    private async Task GenerateAsync(ChannelWriter<List<PendingEvent>> output, CancellationToken cancellationToken)
    {
        try
        {
            var batchSize = _options.Rate > 0 ? (int)Math.Clamp(_options.Rate / 20, 1, _options.BatchSize) : _options.BatchSize;
            long generated = 0;
            while (!cancellationToken.IsCancellationRequested)
            {
                // Unpaced, the duration is wall time; at a fixed rate it became an event count above, so a machine too
                // slow to keep the pace runs longer instead of ending on whichever event the clock happened to reach.
                var limitReached = (_eventLimit is { } limit && generated >= limit) || _stopRequested
                    || (_options.Duration is { } duration && _options.Rate <= 0 && _clock.Elapsed >= duration);
                var batch = new List<PendingEvent>(batchSize + 8);
                var before = _generator.NextSeq;
                var size = _eventLimit is { } cap ? (int)Math.Min(batchSize, Math.Max(0, cap - generated)) : batchSize;
                _generator.Generate(batch, limitReached ? batchSize : size, _eventLimit, finalPhase: limitReached);
                generated += _generator.NextSeq - before;
                if (batch.Count > 0)
                {
                    await output.WriteAsync(batch, cancellationToken).ConfigureAwait(false);
                }

                if (limitReached && _generator.PendingHeals == 0)
                {
                    break;
                }
            }
        }
        finally
        {
            output.TryComplete();
        }
    }

    private async Task FinalizeAsync(ChannelReader<List<PendingEvent>> input, ChannelWriter<List<PendingEvent>> output, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var batch in input.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                _finalizer.FinalizeBatch(batch);
                foreach (var pending in batch)
                {
                    if (pending.Kind is PendingEventKind.Commit or PendingEventKind.Sync)
                    {
                        Interlocked.Increment(ref _stats.Signatures);
                    }
                }

                await output.WriteAsync(batch, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            output.TryComplete();
        }
    }

    private async Task PublishAsync(ChannelReader<List<PendingEvent>> input, CancellationToken cancellationToken)
    {
        long emitted = 0;
        var ready = new List<(long Seq, byte[] Frame)>(_options.BatchSize + 8);
        await foreach (var batch in input.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            foreach (var pending in batch)
            {
                if (_options.Rate > 0 && pending.Frame is not null)
                {
                    var due = TimeSpan.FromSeconds(emitted / _options.Rate);
                    var ahead = due - _clock.Elapsed;
                    if (ahead > TimeSpan.FromMilliseconds(2))
                    {
                        // What is due goes out before the wait.
                        AppendToLog(ready);
                        await Task.Delay(ahead, cancellationToken).ConfigureAwait(false);
                    }
                }

                if (pending.After is { } after)
                {
                    // Identity and account events carry the working state, whose commit fields are not signed yet:
                    // the signed commit they follow is the one published last. States are published before their
                    // frames reach the log, so a subscriber that sees a frame finds at least that state over HTTP.
                    var current = pending.Account.Published;
                    pending.Account.Published = pending.Kind is PendingEventKind.Commit or PendingEventKind.Sync
                        ? after
                        : after with { CommitCid = current.CommitCid, Commit = current.Commit };
                }

                Count(pending);
                if (pending.Frame is { } frame)
                {
                    ready.Add((pending.Seq, frame));
                    emitted++;
                }
            }

            AppendToLog(ready);
        }
    }

    // One lock and one wake-up of the subscribers per run of frames rather than per frame.
    private void AppendToLog(List<(long Seq, byte[] Frame)> ready)
    {
        if (ready.Count == 0)
        {
            return;
        }

        _log.AppendRange(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(ready));
        long bytes = 0;
        long lastSeq = 0;
        foreach (var (seq, frame) in ready)
        {
            bytes += frame.Length;
            lastSeq = Math.Max(lastSeq, seq);
        }

        Interlocked.Add(ref _stats.Frames, ready.Count);
        Interlocked.Add(ref _stats.FrameBytes, bytes);
        Interlocked.Exchange(ref _stats.LastSeq, Math.Max(lastSeq, Interlocked.Read(ref _stats.LastSeq)));
        ready.Clear();
    }

    private void Count(PendingEvent pending)
    {
        if (pending.Fault is { } fault)
        {
            _stats.CountFault(fault);
        }

        switch (pending.Kind)
        {
            case PendingEventKind.Commit when !pending.IsEmitted:
                Interlocked.Increment(ref _stats.SkippedCommits);
                break;
            case PendingEventKind.Commit:
                Interlocked.Increment(ref _stats.Commits);
                foreach (var op in pending.Ops)
                {
                    switch (op.Action)
                    {
                        case RepoAction.Create:
                            Interlocked.Increment(ref _stats.Creates);
                            break;
                        case RepoAction.Update:
                            Interlocked.Increment(ref _stats.Updates);
                            break;
                        default:
                            Interlocked.Increment(ref _stats.Deletes);
                            break;
                    }
                }

                break;
            case PendingEventKind.Sync:
                Interlocked.Increment(ref _stats.Syncs);
                break;
            case PendingEventKind.Identity:
                Interlocked.Increment(ref _stats.Identities);
                break;
            case PendingEventKind.Account:
                Interlocked.Increment(ref _stats.AccountEvents);
                break;
            case PendingEventKind.Unknown:
                Interlocked.Increment(ref _stats.UnknownFrames);
                break;
            case PendingEventKind.Duplicate:
                Interlocked.Increment(ref _stats.DuplicateFrames);
                break;
            case PendingEventKind.StaleCommit:
                Interlocked.Increment(ref _stats.StaleCommits);
                break;
            default:
                break;
        }
    }
}
