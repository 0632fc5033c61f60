using Connectra.Backend.Application.Importing;
using Connectra.Backend.Infrastructure.Jobs;
using Microsoft.Extensions.Options;

namespace Connectra.Backend.Infrastructure.Importing;

/// <summary>Uploaded and error files in one folder of the local file system (Imports:StoragePath), shared by replicas on one volume.</summary>
internal sealed class LocalImportStorage(IOptions<ImportOptions> options) : LocalFolder(options.Value.StoragePath), IImportStorage;
