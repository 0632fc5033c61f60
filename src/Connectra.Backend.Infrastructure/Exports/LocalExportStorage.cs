using Connectra.Backend.Application.Exports;
using Connectra.Backend.Infrastructure.Jobs;
using Microsoft.Extensions.Options;

namespace Connectra.Backend.Infrastructure.Exports;

/// <summary>Export files in one folder of the local file system (Exports:StoragePath), shared by replicas on one volume.</summary>
internal sealed class LocalExportStorage(IOptions<ExportOptions> options) : LocalFolder(options.Value.StoragePath), IExportStorage;
