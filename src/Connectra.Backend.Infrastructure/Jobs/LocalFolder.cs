namespace Connectra.Backend.Infrastructure.Jobs;

/// <summary>
/// Job files in one folder of the local file system; replicas share it by mounting the same volume there. Names come
/// from the application, but are still checked to be plain file names inside the folder, so no name can reach outside it.
/// </summary>
internal abstract class LocalFolder
{
    private const int BufferSize = 1 << 16;
    private readonly string _root;

    protected LocalFolder(string path)
    {
        _root = Path.GetFullPath(path);
        Directory.CreateDirectory(_root);
    }

    public Task<Stream> OpenAppendAsync(string name, long keep, CancellationToken ct)
    {
        var file = new FileStream(PathOf(name), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, BufferSize, FileOptions.Asynchronous);
        try
        {
            file.SetLength(Math.Min(keep, file.Length));
            file.Seek(0, SeekOrigin.End);
            return Task.FromResult<Stream>(file);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    public Task<long?> LengthAsync(string name, CancellationToken ct)
    {
        var info = new FileInfo(PathOf(name));
        return Task.FromResult(info.Exists ? info.Length : (long?)null);
    }

    public Task<Stream> OpenReadAsync(string name, CancellationToken ct) =>
        Task.FromResult<Stream>(new FileStream(PathOf(name), FileMode.Open, FileAccess.Read, FileShare.ReadWrite, BufferSize, FileOptions.Asynchronous));

    public Task DeleteAsync(string name, CancellationToken ct)
    {
        File.Delete(PathOf(name));
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<(string Name, DateTimeOffset Modified)>> ListAsync(CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<(string, DateTimeOffset)>>(
            [.. new DirectoryInfo(_root).EnumerateFiles().Select(f => (f.Name, new DateTimeOffset(f.LastWriteTimeUtc, TimeSpan.Zero)))]);

    private string PathOf(string name)
    {
        if (string.IsNullOrWhiteSpace(name) || name != Path.GetFileName(name) || name is "." or "..")
        {
            throw new ArgumentException($"'{name}' is not a plain file name.", nameof(name));
        }

        var path = Path.GetFullPath(Path.Combine(_root, name));
        return Path.GetDirectoryName(path) == _root.TrimEnd(Path.DirectorySeparatorChar)
            ? path
            : throw new ArgumentException($"'{name}' leaves the storage folder.", nameof(name));
    }
}
