namespace Reproduce.Core.IO;

/// <summary>
/// A token that makes a file or folder name unique among concurrent writers (temporary files, staging and trash
/// folders, run records). It is the libraries' one sanctioned unseeded random value (DESIGN.md §6): it names a place
/// that is renamed or removed before anything is published, so no result ever depends on it.
/// </summary>
public static class UniqueName
{
    /// <summary>32 lowercase hex digits.</summary>
    public static string Token()
    {
#pragma warning disable RS0030 // Guid.NewGuid: a name that only has to differ from another writer's, never part of a result
        return Guid.NewGuid().ToString("N");
#pragma warning restore RS0030
    }
}
