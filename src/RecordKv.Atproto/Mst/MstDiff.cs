namespace RecordKv.Atproto.Mst;

/// <summary>Computes the keys that differ between two trees, skipping every subtree the two share (same CID) unopened.</summary>
public static class MstDiff
{
    /// <summary>The creates, updates and deletes that turn <paramref name="before"/> into <paramref name="after"/>, in key order.</summary>
    /// <exception cref="MstMissingBlockException">A node that differs between the trees is not available.</exception>
    public static List<MstChange> Compute(MerkleSearchTree before, MerkleSearchTree after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var changes = new List<MstChange>();
        var old = new MstCursor(before.Root, before.Source);
        var @new = new MstCursor(after.Root, after.Source);
        while (!old.IsDone && !@new.IsDone)
        {
            if (old.IsNode && @new.IsNode)
            {
                if (old.CurrentNode!.Cid == @new.CurrentNode!.Cid)
                {
                    old.Advance();
                    @new.Advance();
                    continue;
                }

                // Open the taller subtree first; at the same layer open both, so that equal children line up.
                var oldLayer = old.CurrentLayer;
                var newLayer = @new.CurrentLayer;
                if (oldLayer >= newLayer)
                {
                    old.StepInto();
                }

                if (newLayer >= oldLayer)
                {
                    @new.StepInto();
                }

                continue;
            }

            if (old.IsNode)
            {
                old.StepInto();
                continue;
            }

            if (@new.IsNode)
            {
                @new.StepInto();
                continue;
            }

            var oldEntry = old.CurrentEntry;
            var newEntry = @new.CurrentEntry;
            var order = string.CompareOrdinal(oldEntry.Key, newEntry.Key);
            if (order == 0)
            {
                if (oldEntry.Value != newEntry.Value)
                {
                    changes.Add(new MstChange(oldEntry.Key, oldEntry.Value, newEntry.Value));
                }

                old.Advance();
                @new.Advance();
            }
            else if (order < 0)
            {
                changes.Add(new MstChange(oldEntry.Key, oldEntry.Value, null));
                old.Advance();
            }
            else
            {
                changes.Add(new MstChange(newEntry.Key, null, newEntry.Value));
                @new.Advance();
            }
        }

        for (; !old.IsDone; old.Advance())
        {
            while (old.IsNode && !old.IsDone)
            {
                old.StepInto();
            }

            if (!old.IsDone)
            {
                changes.Add(new MstChange(old.CurrentEntry.Key, old.CurrentEntry.Value, null));
            }
        }

        for (; !@new.IsDone; @new.Advance())
        {
            while (@new.IsNode && !@new.IsDone)
            {
                @new.StepInto();
            }

            if (!@new.IsDone)
            {
                changes.Add(new MstChange(@new.CurrentEntry.Key, null, @new.CurrentEntry.Value));
            }
        }

        return changes;
    }
}
