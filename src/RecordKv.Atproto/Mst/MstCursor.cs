using RecordKv.Atproto.Blocks;

namespace RecordKv.Atproto.Mst;

/// <summary>
/// Steps through a tree in key order one item at a time, where an item is either a whole subtree (which can be
/// skipped without opening it) or a leaf entry. The diff walks two cursors side by side.
/// </summary>
internal sealed class MstCursor
{
    private readonly IBlockSource? _source;
    private readonly Stack<(MstNode Node, int Position)> _stack = new();

    public MstCursor(MstNode root, IBlockSource? source)
    {
        _source = source;
        CurrentNode = root;
        IsNode = true;
    }

    public bool IsDone { get; private set; }

    /// <summary>Whether the current item is a subtree (<see cref="CurrentNode"/>) rather than a leaf (<see cref="CurrentEntry"/>).</summary>
    public bool IsNode { get; private set; }

    public MstNode? CurrentNode { get; private set; }

    public MstNodeEntry CurrentEntry { get; private set; }

    /// <summary>The layer of the current subtree, opening it when it is a root not read yet (whose layer is unknown).</summary>
    public int CurrentLayer => CurrentNode!.Layer >= 0 ? CurrentNode.Layer : CurrentNode.Open(_source).Layer;

    /// <summary>Moves past the current item; a subtree is skipped whole.</summary>
    public void Advance()
    {
        while (_stack.Count > 0)
        {
            var (node, position) = _stack.Pop();
            var entries = node.Entries;
            if (position > 2 * entries.Length)
            {
                continue;
            }

            _stack.Push((node, position + 1));
            if ((position & 1) == 0)
            {
                var slot = node.GetSlot(position / 2);
                if (slot is not null)
                {
                    IsNode = true;
                    CurrentNode = slot;
                    return;
                }
            }
            else
            {
                IsNode = false;
                CurrentNode = null;
                CurrentEntry = entries[position / 2];
                return;
            }
        }

        IsDone = true;
        CurrentNode = null;
    }

    /// <summary>Opens the current subtree and moves to its first item.</summary>
    public void StepInto()
    {
        var node = CurrentNode!.Open(_source);
        _stack.Push((node, 0));
        Advance();
    }
}
