using System.Buffers;
using System.Text;
using System.Text.Unicode;
using Connectra.Backend.Application.Background;
using Connectra.Backend.Application.Exports;
using Connectra.Backend.Application.Vql;
using Microsoft.Extensions.Options;

namespace Connectra.Backend.Application.Importing;

/// <summary>A file streamed to import storage: its storage name, size and the name the client gave it.</summary>
public sealed record UploadedFile(string ImportId, string StorageName, long Size, string? FileName);

/// <summary>
/// CSV imports (docs/imports.md): an upload is streamed to storage, its header checked against the mapping, and a row
/// in <c>user_imports</c> made for the import worker. Everything here is scoped to the caller: another user's import is
/// not found.
/// </summary>
public sealed class ImportService(IImportRepository imports, IImportStorage storage, ImportSignal signal, IOptions<ImportOptions> options, TimeProvider clock)
{
    public const string NotFound = "Import not found or access denied";

    private const int CopyBuffer = 1 << 16;

    private ImportOptions Options => options.Value;

    public CsvLimits Limits => new(Options.MaxColumns, Options.MaxCellLength);

    /// <summary>The file an import reads, by its id.</summary>
    public static string SourceName(string importId) => $"{importId}.csv";

    /// <summary>The rejected rows of an import, by its id.</summary>
    public static string ErrorsName(string importId) => $"{importId}.errors.csv";

    /// <summary>429 before any byte of the file is stored, when the caller has as many imports running as allowed.</summary>
    public async Task EnsureRoomAsync(string userId, CancellationToken ct)
    {
        if (await imports.CountActiveAsync(userId, ct) >= Options.MaxActivePerUser)
        {
            throw new ImportRefusedException(ImportRefusal.TooMany,
                $"You have {Options.MaxActivePerUser} imports pending or running (Imports:MaxActivePerUser); wait for one to finish or cancel one.",
                TimeSpan.FromSeconds(30));
        }
    }

    /// <summary>
    /// Streams <paramref name="body"/> to storage, never holding more than a buffer of it, and refuses what is not a
    /// CSV text file with a 400 naming <c>file</c>: an archive or other binary format, a NUL byte, or invalid UTF-8
    /// (with its line). A file that starts with a UTF-16 byte-order mark is checked when it is read.
    /// </summary>
    public async Task<UploadedFile> StoreAsync(Stream body, string? fileName, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(body);
        var importId = Guid.NewGuid().ToString("D");
        var name = SourceName(importId);
        var buffer = ArrayPool<byte>.Shared.Rent(CopyBuffer + 4);
        var chars = ArrayPool<char>.Shared.Rent(CopyBuffer + 4);
        long size = 0;
        try
        {
            await using (var file = await storage.OpenAppendAsync(name, 0, ct))
            {
                var check = new TextCheck();
                var carry = 0;
                int read;
                while ((read = await body.ReadAsync(buffer.AsMemory(carry, CopyBuffer), ct)) > 0)
                {
                    size += read;
                    if (size > Options.MaxFileBytes)
                    {
                        throw new VqlValidationException("file", $"is larger than {Options.MaxFileBytes} bytes, the most an import takes (Imports:MaxFileBytes)");
                    }

                    var total = carry + read;
                    // The bytes of a sequence the chunk cut in two wait for the next chunk.
                    var pending = check.Feed(buffer.AsSpan(0, total), chars, final: false);
                    await file.WriteAsync(buffer.AsMemory(0, total - pending), ct);
                    buffer.AsSpan(total - pending, pending).CopyTo(buffer);
                    carry = pending;
                }

                if (carry > 0)
                {
                    check.Feed(buffer.AsSpan(0, carry), chars, final: true);
                    await file.WriteAsync(buffer.AsMemory(0, carry), ct);
                }

                if (size == 0)
                {
                    throw new VqlValidationException("file", "is empty; send a CSV file with a header row");
                }
            }

            return new UploadedFile(importId, name, size, fileName is { Length: > 0 and <= 255 } ? fileName : null);
        }
        catch
        {
            await storage.DeleteAsync(name, CancellationToken.None);
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            ArrayPool<char>.Shared.Return(chars);
        }
    }

    /// <summary>Deletes a stored upload that will not become a job.</summary>
    public Task DiscardAsync(UploadedFile file, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(file);
        return storage.DeleteAsync(file.StorageName, ct);
    }

    /// <summary>
    /// Reads the stored file's header against the options (a 400 naming what cannot be mapped) and makes the job.
    /// The file is deleted when it is refused.
    /// </summary>
    public async Task<ImportCreated> CreateAsync(string userId, ImportEntity entity, ImportSettings settings, UploadedFile file, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(file);
        try
        {
            await using (var stream = await storage.OpenReadAsync(file.StorageName, ct))
            {
                using var reader = new CsvRecordReader(stream, Limits);
                var header = await ReadHeaderAsync(reader, ct);
                ImportColumns.Resolve(entity, settings, header.Cells);
            }

            await EnsureRoomAsync(userId, ct);
            var job = new UserImport
            {
                ImportId = file.ImportId,
                UserId = userId,
                Entity = entity,
                Mode = settings.Mode,
                MatchOn = settings.MatchOn,
                BlankValues = settings.BlankValues,
                DryRun = settings.DryRun,
                MappingJson = System.Text.Json.JsonSerializer.Serialize(settings.Mapping),
                FileName = file.FileName,
                FileSize = file.Size,
                CreatedAt = clock.GetUtcNow(),
            };
            await imports.AddAsync(job, ct);
            signal.Notify();
            return new ImportCreated(job.ImportId, entity, ImportState.Pending, job.Mode, job.MatchOn, job.BlankValues, job.DryRun,
                job.FileSize, job.CreatedAt, StatusUrl(job.ImportId));
        }
        catch
        {
            await storage.DeleteAsync(file.StorageName, CancellationToken.None);
            throw;
        }
    }

    /// <summary>The header row; a 400 naming <c>file</c> when there is none or it is broken.</summary>
    public static async Task<CsvRow> ReadHeaderAsync(CsvRecordReader reader, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(reader);
        CsvRow? header;
        try
        {
            header = await reader.ReadAsync(ct);
        }
        catch (CsvFileException broken)
        {
            throw new VqlValidationException("file", broken.Message);
        }

        if (header is null)
        {
            throw new VqlValidationException("file", "holds no header row");
        }

        if (header.Error is { } error)
        {
            throw new VqlValidationException("file", $"the header (line {header.Line}) {error}");
        }

        return header;
    }

    public async Task<ImportStatusResponse> GetStatusAsync(string userId, string importId, CancellationToken ct) =>
        Describe(await FindAsync(userId, importId, ct));

    public async Task<ImportList> ListAsync(string userId, ImportListQuery query, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(query);
        var (page, total) = await imports.ListAsync(userId, query, ct);
        var more = (long)query.Page * query.PageSize < total;
        return new ImportList([.. page.Select(Describe)], total, query.Page, query.PageSize, more ? query.Page + 1 : null);
    }

    public async Task<ImportErrorPage> ErrorsAsync(string userId, string importId, int page, int pageSize, CancellationToken ct)
    {
        var job = await FindAsync(userId, importId, ct);
        var (errors, total) = await imports.ErrorsAsync(job.ImportId, page, pageSize, ct);
        var more = (long)page * pageSize < total;
        return new ImportErrorPage(job.ImportId, [.. errors.Select(e => new ImportErrorItem(e.Line, e.Column, e.Value, e.Message))],
            total, page, pageSize, more ? page + 1 : null, Truncated: job.Failed > total);
    }

    /// <summary>
    /// The error file: the header and every rejected row as it was, each with an <c>error</c> column. An import that
    /// rejected nothing (so far) has a file of the header alone.
    /// </summary>
    public async Task<(Stream File, string FileName)> ErrorFileAsync(string userId, string importId, CancellationToken ct)
    {
        var job = await FindAsync(userId, importId, ct);
        var name = ErrorsName(job.ImportId);
        // Only what the last checkpoint vouches for: a running job may have written past it.
        var length = Math.Min(job.ErrorFileLength, await storage.LengthAsync(name, ct) ?? 0);
        if (length == 0)
        {
            var header = await HeaderAsync(job, ct);
            var buffer = new ArrayBufferWriter<byte>();
            var csv = new Utf8CsvWriter(buffer);
            csv.WriteRecord([.. header, ImportRunner.ErrorColumn]);
            return (new MemoryStream(buffer.WrittenMemory.ToArray(), writable: false), $"import_{job.ImportId}_errors.csv");
        }

        var file = await storage.OpenReadAsync(name, ct);
        return (new ReadOnlyPrefixStream(file, length), $"import_{job.ImportId}_errors.csv");
    }

    public Task<ImportCancelled> CancelAsync(string userId, string importId, CancellationToken ct) =>
        JobCancellation.CancelAsync(
            c => FindAsync(userId, importId, c),
            job => job.Status switch
            {
                ImportStatus.Completed or ImportStatus.Failed => JobCancelState.Ended,
                ImportStatus.Cancelled => JobCancelState.Cancelled,
                _ => JobCancelState.Open,
            },
            (job, c) => imports.CancelAsync(job.ImportId, userId, "Import cancelled by user", c),
            (job, now) => new ImportCancelled(
                now ? "Import cancelled; batches written before it stay written" : "Import is already cancelled", job.ImportId, ImportState.Cancelled),
            job => new ImportRefusedException(ImportRefusal.InvalidState, $"Cannot cancel a {State(job).ToString().ToLowerInvariant()} import"),
            ct);

    /// <summary>Deletes the files of imports that ended more than Imports:FileLifetime ago.</summary>
    public async Task<int> PurgeFilesAsync(CancellationToken ct)
    {
        var ended = await imports.EndedBeforeAsync(clock.GetUtcNow() - Options.FileLifetime, 1000, ct);
        foreach (var id in ended)
        {
            await storage.DeleteAsync(SourceName(id), ct);
            await storage.DeleteAsync(ErrorsName(id), ct);
        }

        return ended.Count;
    }

    public static ImportState State(UserImport job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return job.Status switch
        {
            ImportStatus.Pending => ImportState.Pending,
            ImportStatus.Processing => job.Phase == ImportPhase.Validating ? ImportState.Validating : ImportState.Processing,
            ImportStatus.Completed => ImportState.Completed,
            ImportStatus.Failed => ImportState.Failed,
            _ => ImportState.Cancelled,
        };
    }

    private async Task<IReadOnlyList<string>> HeaderAsync(UserImport job, CancellationToken ct)
    {
        try
        {
            await using var stream = await storage.OpenReadAsync(SourceName(job.ImportId), ct);
            using var reader = new CsvRecordReader(stream, Limits);
            return (await reader.ReadAsync(ct))?.Cells ?? [];
        }
        catch (FileNotFoundException)
        {
            throw new ResourceNotFoundException("The import's file has been deleted (Imports:FileLifetime)");
        }
    }

    private async Task<UserImport> FindAsync(string userId, string importId, CancellationToken ct) =>
        await imports.FindAsync(importId, userId, ct) ?? throw new ResourceNotFoundException(NotFound);

    private static ImportStatusResponse Describe(UserImport job)
    {
        double? percent = job.Status == ImportStatus.Completed ? 100.0
            : job.RowsTotal is > 0 and var total ? Math.Min(99.9, 100.0 * job.RowsRead / total) : null;
        return new ImportStatusResponse(
            job.ImportId, job.Entity, State(job), job.Mode, job.MatchOn, job.BlankValues, job.DryRun, job.FileName, job.FileSize,
            job.RowsTotal, job.RowsRead, job.Created, job.Updated, job.Unchanged, job.Failed,
            percent is { } p ? Math.Round(p, 1) : null,
            job.Status == ImportStatus.Processing ? job.EstimatedTimeRemaining : null,
            job.ErrorMessage,
            $"/api/v3/imports/{job.ImportId}/errors",
            $"/api/v3/imports/{job.ImportId}/errors.csv",
            job.CreatedAt, job.StartedAt, job.CompletedAt);
    }

    private static string StatusUrl(string importId) => $"/api/v3/imports/{importId}";

    /// <summary>
    /// What the upload checks on the way to storage: known binary formats by their first bytes, and for UTF-8 text
    /// (the default) that every sequence is valid and no NUL byte appears, naming the physical line of the first fault.
    /// </summary>
    private sealed class TextCheck
    {
        private bool _started;
        private bool _utf16;
        private long _line = 1;

        /// <summary>Checks a chunk; returns how many bytes at its end form an incomplete sequence to carry over.</summary>
        public int Feed(ReadOnlySpan<byte> chunk, char[] scratch, bool final)
        {
            if (!_started)
            {
                _started = true;
                if (Binary(chunk) is { } format)
                {
                    throw new VqlValidationException("file", $"is {format}, not a CSV text file; upload the CSV itself");
                }

                _utf16 = chunk.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || chunk.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]);
            }

            if (_utf16)
            {
                return 0;
            }

            var status = Utf8.ToUtf16(chunk, scratch, out var read, out _, replaceInvalidSequences: false, isFinalBlock: final);
            var valid = chunk[..read];
            if (valid.IndexOf((byte)0) is var nul and >= 0)
            {
                throw new VqlValidationException("file", $"line {_line + valid[..nul].Count((byte)'\n')}: holds a NUL byte, which no CSV text has; is it a binary file?");
            }

            _line += valid.Count((byte)'\n');
            return status switch
            {
                System.Buffers.OperationStatus.InvalidData => throw new VqlValidationException("file",
                    $"line {_line}: is not valid UTF-8; save the file as UTF-8 (or UTF-16 with a byte-order mark) and upload it again"),
                System.Buffers.OperationStatus.NeedMoreData => chunk.Length - read,
                _ => 0,
            };
        }

        private static string? Binary(ReadOnlySpan<byte> start) =>
            start.StartsWith("PK\u0003\u0004"u8) || start.StartsWith("PK\u0005\u0006"u8) ? "a ZIP archive (an .xlsx workbook is one)"
            : start.StartsWith((ReadOnlySpan<byte>)[0x1F, 0x8B]) ? "a gzip archive"
            : start.StartsWith("%PDF"u8) ? "a PDF document"
            : start.StartsWith((ReadOnlySpan<byte>)[0xD0, 0xCF, 0x11, 0xE0]) ? "an old Excel (.xls) workbook"
            : null;
    }

    /// <summary>The first <c>length</c> bytes of a file, seekable, for a download that must not show what lies past a checkpoint.</summary>
    private sealed class ReadOnlyPrefixStream(Stream inner, long length) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => inner.CanSeek;
        public override bool CanWrite => false;
        public override long Length => length;

        public override long Position
        {
            get => inner.Position;
            set => inner.Position = Math.Min(value, length);
        }

        public override int Read(byte[] buffer, int offset, int count) =>
            inner.Read(buffer, offset, (int)Math.Max(0, Math.Min(count, length - inner.Position)));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            inner.ReadAsync(buffer[..(int)Math.Max(0, Math.Min(buffer.Length, length - inner.Position))], cancellationToken);

        public override long Seek(long offset, SeekOrigin origin) => origin switch
        {
            SeekOrigin.End => inner.Seek(Math.Min(length, length + offset), SeekOrigin.Begin),
            _ => inner.Seek(offset, origin),
        };

        public override void Flush()
        {
        }

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
