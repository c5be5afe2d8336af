using static TorchSharp.torch;

namespace Reproduce.Learning.Models;

/// <summary>
/// The visible-patch mask SparK's sparse encoder runs under (METHODS.md §1.2, §1.4): a boolean grid
/// (B, 1, f, f), True = visible, on the coarsest feature map (input / 32). Every masked layer of a
/// <see cref="ResNet"/> shares one instance and multiplies its output by the grid upsampled to that
/// output's resolution, so masked positions stay exactly zero through the whole trunk. With no grid
/// set the trunk is an ordinary dense ResNet. Not a module: nothing here is a parameter or a buffer.
/// </summary>
public sealed class SparseMask
{
    private readonly Dictionary<(long Height, long Width), Tensor> upsampled = [];
    private Tensor? active;

    /// <summary>The current grid, or null for dense operation.</summary>
    public Tensor? Active => active;

    /// <summary>Runs the trunk sparsely under <paramref name="grid"/> (B, 1, f, f) bool until the returned scope ends.</summary>
    public IDisposable Use(Tensor grid)
    {
        if (grid.dim() != 4 || grid.shape[1] != 1 || grid.dtype != ScalarType.Bool)
        {
            throw new ArgumentException($"a mask grid is (B, 1, f, f) bool; got {string.Join("×", grid.shape)} {grid.dtype}", nameof(grid));
        }

        if (active is not null)
        {
            throw new InvalidOperationException("a sparse mask is already in use");
        }

        active = grid;
        return new Release(this);
    }

    /// <summary>The grid as a float (B, 1, height, width) tensor, nearest-neighbour upsampled; cached per resolution while the grid is in use.</summary>
    public Tensor At(long height, long width)
    {
        var grid = active ?? throw new InvalidOperationException("no sparse mask is in use");
        if (upsampled.TryGetValue((height, width), out var cached))
        {
            return cached;
        }

        var (rows, columns) = (grid.shape[2], grid.shape[3]);
        if (height % rows != 0 || width % columns != 0)
        {
            throw new InvalidOperationException($"a {height}×{width} feature map is not a whole multiple of the {rows}×{columns} mask grid");
        }

        var mask = grid.to_type(ScalarType.Float32)
            .repeat_interleave(height / rows, dim: 2)
            .repeat_interleave(width / columns, dim: 3)
            .DetachFromDisposeScope();
        upsampled[(height, width)] = mask;
        return mask;
    }

    private void Clear()
    {
        foreach (var mask in upsampled.Values)
        {
            mask.Dispose();
        }

        upsampled.Clear();
        active = null;
    }

    private sealed class Release(SparseMask owner) : IDisposable
    {
        private bool released;

        public void Dispose()
        {
            if (!released)
            {
                released = true;
                owner.Clear();
            }
        }
    }
}
