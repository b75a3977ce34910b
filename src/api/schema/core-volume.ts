// Schemas of a pod's volumes (core/v1 Volume) and every volume source they can use.

import { bool, definition, int32, int64, list, mapOf, ref, str } from "./builders.js";
import {
  KeyToPath,
  LocalObjectReference,
  ObjectFieldSelector,
  ResourceFieldSelector,
  TypedLocalObjectReference,
  TypedObjectReference,
} from "./core-common.js";
import { LabelSelector, ObjectMeta, Quantity } from "./meta.js";
import type { Schema } from "./types.js";

/** The hostPath types (HostPathType); validation accepts exactly these, so both read this one list. */
export const HOST_PATH_TYPES: readonly string[] = [
  "",
  "BlockDevice",
  "CharDevice",
  "Directory",
  "DirectoryOrCreate",
  "File",
  "FileOrCreate",
  "Socket",
];

export const HostPathVolumeSource: Schema = definition(
  "io.k8s.api.core.v1.HostPathVolumeSource",
  "A path on the node exposed to the pod.",
  {
    path: str("Path on the node."),
    type: str("What must exist at the path, or be created there.", { enum: [...HOST_PATH_TYPES] }),
  },
  { required: ["path"] },
);

export const EmptyDirVolumeSource: Schema = definition(
  "io.k8s.api.core.v1.EmptyDirVolumeSource",
  "An initially empty directory that lives and dies with the pod.",
  {
    medium: str("Storage backing the directory: the node's default or Memory."),
    sizeLimit: ref(Quantity, "Most local storage the directory may use."),
  },
);

export const GCEPersistentDiskVolumeSource: Schema = definition(
  "io.k8s.api.core.v1.GCEPersistentDiskVolumeSource",
  "A Google Compute Engine persistent disk.",
  {
    pdName: str("Name of the disk in GCE."),
    fsType: str("Filesystem type to mount the volume with, such as ext4 or xfs."),
    partition: int32("Partition number to mount; the whole disk when unset."),
    readOnly: bool("Mount the volume read-only when true."),
  },
  { required: ["pdName"] },
);

export const AWSElasticBlockStoreVolumeSource: Schema = definition(
  "io.k8s.api.core.v1.AWSElasticBlockStoreVolumeSource",
  "An Amazon EBS disk.",
  {
    volumeID: str("EBS volume ID."),
    fsType: str("Filesystem type to mount the volume with, such as ext4 or xfs."),
    partition: int32("Partition number to mount; the whole disk when unset."),
    readOnly: bool("Mount the volume read-only when true."),
  },
  { required: ["volumeID"] },
);

export const GitRepoVolumeSource: Schema = definition(
  "io.k8s.api.core.v1.GitRepoVolumeSource",
  "A directory populated from a git repository.",
  {
    repository: str("URL of the repository."),
    revision: str("Commit hash to check out."),
    directory: str("Directory name to clone into."),
  },
  { required: ["repository"] },
);

export const SecretVolumeSource: Schema = definition(
  "io.k8s.api.core.v1.SecretVolumeSource",
  "Presents the keys of a Secret as files.",
  {
    secretName: str("Name of the Secret in the pod's namespace."),
    items: list(KeyToPath, "Maps selected keys of the source to file paths inside the volume.", {
      listType: "atomic",
    }),
    defaultMode: int32("Permission bits (octal 0000-0777 or decimal 0-511) for files created in the volume."),
    optional: bool("When true, the pod starts even if the Secret or its keys are missing."),
  },
);

export const NFSVolumeSource: Schema = definition(
  "io.k8s.api.core.v1.NFSVolumeSource",
  "An NFS export mounted for the pod's lifetime.",
  {
    server: str("Hostname or IP of the NFS server."),
    path: str("Exported path on the server."),
    readOnly: bool("Mount the volume read-only when true."),
  },
  { required: ["server", "path"] },
);

export const ISCSIVolumeSource: Schema = definition(
  "io.k8s.api.core.v1.ISCSIVolumeSource",
  "An iSCSI disk.",
  {
    targetPortal: str("Target portal address, IP or ip:port."),
    iqn: str("Target iSCSI qualified name."),
    lun: int32("Target LUN number."),
    iscsiInterface: str("iSCSI interface name."),
    fsType: str("Filesystem type to mount the volume with, such as ext4 or xfs."),
    readOnly: bool("Mount the volume read-only when true."),
    portals: list(str(), "Additional target portal addresses.", { listType: "atomic" }),
    chapAuthDiscovery: bool("Use CHAP authentication for discovery."),
    chapAuthSession: bool("Use CHAP authentication for the session."),
    secretRef: ref(LocalObjectReference, "Secret with the CHAP credentials."),
    initiatorName: str("Custom initiator name."),
  },
  { required: ["targetPortal", "iqn", "lun"] },
);

export const GlusterfsVolumeSource: Schema = definition(
  "io.k8s.api.core.v1.GlusterfsVolumeSource",
  "A Glusterfs mount.",
  {
    endpoints: str("Endpoints object describing the Glusterfs cluster."),
    path: str("Glusterfs volume path."),
    readOnly: bool("Mount the volume read-only when true."),
  },
  { required: ["endpoints", "path"] },
);

export const PersistentVolumeClaimVolumeSource: Schema = definition(
  "io.k8s.api.core.v1.PersistentVolumeClaimVolumeSource",
  "Uses the volume bound to a claim in the pod's namespace.",
  {
    claimName: str("Name of the PersistentVolumeClaim."),
    readOnly: bool("Mount the volume read-only when true."),
  },
  { required: ["claimName"] },
);

export const RBDVolumeSource: Schema = definition(
  "io.k8s.api.core.v1.RBDVolumeSource",
  "A Rados block device.",
  {
    monitors: list(str(), "Ceph monitor addresses.", { listType: "atomic" }),
    image: str("Rados image name."),
    fsType: str("Filesystem type to mount the volume with, such as ext4 or xfs."),
    pool: str("Rados pool name."),
    user: str("Rados user name."),
    keyring: str("Path to the keyring file."),
    secretRef: ref(LocalObjectReference, "Reference to a Secret holding the credentials this volume needs."),
    readOnly: bool("Mount the volume read-only when true."),
  },
  { required: ["monitors", "image"] },
);

export const FlexVolumeSource: Schema = definition(
  "io.k8s.api.core.v1.FlexVolumeSource",
  "A volume managed by an exec-based plugin.",
  {
    driver: str("Name of the plugin driver."),
    fsType: str("Filesystem type to mount the volume with, such as ext4 or xfs."),
    secretRef: ref(LocalObjectReference, "Reference to a Secret holding the credentials this volume needs."),
    readOnly: bool("Mount the volume read-only when true."),
    options: mapOf(str(), "Extra options passed to the driver."),
  },
  { required: ["driver"] },
);

export const CinderVolumeSource: Schema = definition(
  "io.k8s.api.core.v1.CinderVolumeSource",
  "An OpenStack Cinder volume.",
  {
    volumeID: str("Cinder volume ID."),
    fsType: str("Filesystem type to mount the volume with, such as ext4 or xfs."),
    readOnly: bool("Mount the volume read-only when true."),
    secretRef: ref(LocalObjectReference, "Reference to a Secret holding the credentials this volume needs."),
  },
  { required: ["volumeID"] },
);

export const CephFSVolumeSource: Schema = definition(
  "io.k8s.api.core.v1.CephFSVolumeSource",
  "A CephFS mount.",
  {
    monitors: list(str(), "Ceph monitor addresses.", { listType: "atomic" }),
    path: str("Path within CephFS used as the mount root."),
    user: str("Rados user name."),
    secretFile: str("Path to the user's key ring."),
    secretRef: ref(LocalObjectReference, "Reference to a Secret holding the credentials this volume needs."),
    readOnly: bool("Mount the volume read-only when true."),
  },
  { required: ["monitors"] },
);

export const FlockerVolumeSource: Schema = definition(
  "io.k8s.api.core.v1.FlockerVolumeSource",
  "A Flocker dataset.",
  {
    datasetName: str("Dataset name."),
    datasetUUID: str("Dataset UUID."),
  },
);

export const DownwardAPIVolumeFile: Schema = definition(
  "io.k8s.api.core.v1.DownwardAPIVolumeFile",
  "One file with a pod field or container resource value.",
  {
    path: str("Relative path of the file."),
    fieldRef: ref(ObjectFieldSelector, "Pod field to write to the file."),
    resourceFieldRef: ref(ResourceFieldSelector, "Container resource value to write to the file."),
    mode: int32("Permission bits for this file."),
  },
  { required: ["path"] },
);

export const DownwardAPIVolumeSource: Schema = definition(
  "io.k8s.api.core.v1.DownwardAPIVolumeSource",
  "Files holding fields of the pod and its containers.",
  {
    items: list(DownwardAPIVolumeFile, "The files to create.", { listType: "atomic" }),
    defaultMode: int32("Permission bits (octal 0000-0777 or decimal 0-511) for files created in the volume."),
  },
);

export const FCVolumeSource: Schema = definition(
  "io.k8s.api.core.v1.FCVolumeSource",
  "A Fibre Channel disk.",
  {
    targetWWNs: list(str(), "Target world wide names.", { listType: "atomic" }),
    lun: int32("Target LUN number."),
    fsType: str("Filesystem type to mount the volume with, such as ext4 or xfs."),
    readOnly: bool("Mount the volume read-only when true."),
    wwids: list(str(), "Volume world wide identifiers.", { listType: "atomic" }),
  },
);

export const AzureFileVolumeSource: Schema = definition(
  "io.k8s.api.core.v1.AzureFileVolumeSource",
  "An Azure File share.",
  {
    secretName: str("Secret holding the storage account name and key."),
    shareName: str("Name of the share."),
    readOnly: bool("Mount the volume read-only when true."),
  },
  { required: ["secretName", "shareName"] },
);

export const ConfigMapVolumeSource: Schema = definition(
  "io.k8s.api.core.v1.ConfigMapVolumeSource",
  "Presents the keys of a ConfigMap as files.",
  {
    name: str("Name of the referenced object."),
    items: list(KeyToPath, "Maps selected keys of the source to file paths inside the volume.", {
      listType: "atomic",
    }),
    defaultMode: int32("Permission bits (octal 0000-0777 or decimal 0-511) for files created in the volume."),
    optional: bool("When true, the pod starts even if the ConfigMap or its keys are missing."),
  },
);

export const VsphereVirtualDiskVolumeSource: Schema = definition(
  "io.k8s.api.core.v1.VsphereVirtualDiskVolumeSource",
  "A vSphere virtual disk.",
  {
    volumePath: str("Path identifying the vmdk."),
    fsType: str("Filesystem type to mount the volume with, such as ext4 or xfs."),
    storagePolicyName: str("Storage policy profile name."),
    storagePolicyID: str("Storage policy profile ID."),
  },
  { required: ["volumePath"] },
);

export const QuobyteVolumeSource: Schema = definition(
  "io.k8s.api.core.v1.QuobyteVolumeSource",
  "A Quobyte mount.",
  {
    registry: str("Quobyte registry addresses as host:port."),
    volume: str("Name of an existing Quobyte volume."),
    readOnly: bool("Mount the volume read-only when true."),
    user: str("User to map volume access to."),
    group: str("Group to map volume access to."),
    tenant: str("Tenant that owns the volume."),
  },
  { required: ["registry", "volume"] },
);

export const AzureDiskVolumeSource: Schema = definition(
  "io.k8s.api.core.v1.AzureDiskVolumeSource",
  "An Azure data disk.",
  {
    diskName: str("Name of the data disk."),
    diskURI: str("URI of the data disk."),
    cachingMode: str("Host caching mode.", { enum: ["None", "ReadOnly", "ReadWrite"] }),
    fsType: str("Filesystem type to mount the volume with, such as ext4 or xfs."),
    readOnly: bool("Mount the volume read-only when true."),
    kind: str("Disk kind: Shared, Dedicated or Managed.", { enum: ["Dedicated", "Managed", "Shared"] }),
  },
  { required: ["diskName", "diskURI"] },
);

export const PhotonPersistentDiskVolumeSource: Schema = definition(
  "io.k8s.api.core.v1.PhotonPersistentDiskVolumeSource",
  "A Photon Controller persistent disk.",
  {
    pdID: str("Disk ID."),
    fsType: str("Filesystem type to mount the volume with, such as ext4 or xfs."),
  },
  { required: ["pdID"] },
);

export const SecretProjection: Schema = definition(
  "io.k8s.api.core.v1.SecretProjection",
  "Keys of a Secret in a projected volume.",
  {
    name: str("Name of the referenced object."),
    items: list(KeyToPath, "Maps selected keys of the source to file paths inside the volume.", {
      listType: "atomic",
    }),
    optional: bool("When true, a missing Secret or key is not an error."),
  },
);

export const DownwardAPIProjection: Schema = definition(
  "io.k8s.api.core.v1.DownwardAPIProjection",
  "Pod fields and resource values in a projected volume.",
  {
    items: list(DownwardAPIVolumeFile, "The files to create.", { listType: "atomic" }),
  },
);

export const ConfigMapProjection: Schema = definition(
  "io.k8s.api.core.v1.ConfigMapProjection",
  "Keys of a ConfigMap in a projected volume.",
  {
    name: str("Name of the referenced object."),
    items: list(KeyToPath, "Maps selected keys of the source to file paths inside the volume.", {
      listType: "atomic",
    }),
    optional: bool("When true, a missing ConfigMap or key is not an error."),
  },
);

export const ServiceAccountTokenProjection: Schema = definition(
  "io.k8s.api.core.v1.ServiceAccountTokenProjection",
  "A service account token written into a projected volume.",
  {
    audience: str("Intended audience of the token."),
    expirationSeconds: int64("Requested validity of the token in seconds."),
    path: str("Relative path of the token file."),
  },
  { required: ["path"] },
);

export const ClusterTrustBundleProjection: Schema = definition(
  "io.k8s.api.core.v1.ClusterTrustBundleProjection",
  "Certificates from ClusterTrustBundle objects written to one file.",
  {
    name: str("Select one bundle by name."),
    signerName: str("Select the bundles of this signer."),
    labelSelector: ref(LabelSelector, "Select bundles by label; only with signerName."),
    optional: bool("When true, missing bundles are not an error."),
    path: str("Relative path of the bundle file."),
  },
  { required: ["path"] },
);

export const VolumeProjection: Schema = definition(
  "io.k8s.api.core.v1.VolumeProjection",
  "One source of a projected volume; exactly one field is set.",
  {
    secret: ref(SecretProjection, "Keys of a Secret."),
    downwardAPI: ref(DownwardAPIProjection, "Pod fields and resource values."),
    configMap: ref(ConfigMapProjection, "Keys of a ConfigMap."),
    serviceAccountToken: ref(ServiceAccountTokenProjection, "A service account token."),
    clusterTrustBundle: ref(ClusterTrustBundleProjection, "Certificates from ClusterTrustBundle objects."),
  },
);

export const ProjectedVolumeSource: Schema = definition(
  "io.k8s.api.core.v1.ProjectedVolumeSource",
  "Several volume sources projected into one directory.",
  {
    sources: list(VolumeProjection, "The projections to combine.", { listType: "atomic" }),
    defaultMode: int32("Permission bits (octal 0000-0777 or decimal 0-511) for files created in the volume."),
  },
);

export const PortworxVolumeSource: Schema = definition(
  "io.k8s.api.core.v1.PortworxVolumeSource",
  "A Portworx volume.",
  {
    volumeID: str("Portworx volume ID."),
    fsType: str("Filesystem type to mount the volume with, such as ext4 or xfs."),
    readOnly: bool("Mount the volume read-only when true."),
  },
  { required: ["volumeID"] },
);

export const ScaleIOVolumeSource: Schema = definition(
  "io.k8s.api.core.v1.ScaleIOVolumeSource",
  "A ScaleIO volume.",
  {
    gateway: str("Address of the ScaleIO API gateway."),
    system: str("Name of the ScaleIO storage system."),
    secretRef: ref(LocalObjectReference, "Reference to a Secret holding the credentials this volume needs."),
    sslEnabled: bool("Use SSL to talk to the gateway."),
    protectionDomain: str("ScaleIO protection domain."),
    storagePool: str("ScaleIO storage pool."),
    storageMode: str("ThickProvisioned or ThinProvisioned."),
    volumeName: str("Name of an existing ScaleIO volume."),
    fsType: str("Filesystem type to mount the volume with, such as ext4 or xfs."),
    readOnly: bool("Mount the volume read-only when true."),
  },
  { required: ["gateway", "system", "secretRef"] },
);

export const StorageOSVolumeSource: Schema = definition(
  "io.k8s.api.core.v1.StorageOSVolumeSource",
  "A StorageOS volume.",
  {
    volumeName: str("StorageOS volume name."),
    volumeNamespace: str("StorageOS namespace of the volume."),
    fsType: str("Filesystem type to mount the volume with, such as ext4 or xfs."),
    readOnly: bool("Mount the volume read-only when true."),
    secretRef: ref(LocalObjectReference, "Reference to a Secret holding the credentials this volume needs."),
  },
);

export const CSIVolumeSource: Schema = definition(
  "io.k8s.api.core.v1.CSIVolumeSource",
  "An inline volume provided by a CSI driver.",
  {
    driver: str("Name of the CSI driver."),
    readOnly: bool("Ask the driver for a read-only volume."),
    fsType: str("Filesystem type to mount the volume with, such as ext4 or xfs."),
    volumeAttributes: mapOf(str(), "Driver-specific settings."),
    nodePublishSecretRef: ref(
      LocalObjectReference,
      "Secret passed to the driver when publishing the volume.",
    ),
  },
  { required: ["driver"] },
);

export const VolumeResourceRequirements: Schema = definition(
  "io.k8s.api.core.v1.VolumeResourceRequirements",
  "Storage limits and requests of a volume.",
  {
    limits: mapOf(Quantity, "Maximum amounts of resources."),
    requests: mapOf(Quantity, "Minimum amounts of resources."),
  },
);

export const PersistentVolumeClaimSpec: Schema = definition(
  "io.k8s.api.core.v1.PersistentVolumeClaimSpec",
  "The storage a claim asks for.",
  {
    accessModes: list(
      str(undefined, { enum: ["ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"] }),
      "Access modes the volume must support.",
      { listType: "atomic" },
    ),
    selector: ref(LabelSelector, "Label query over volumes that may be bound."),
    resources: ref(VolumeResourceRequirements, "Minimum resources the volume must have."),
    volumeName: str("Name of the PersistentVolume to bind to."),
    storageClassName: str("StorageClass the claim needs."),
    volumeMode: str("Filesystem or Block.", { enum: ["Block", "Filesystem"] }),
    dataSource: ref(TypedLocalObjectReference, "Object to populate the volume from."),
    dataSourceRef: ref(
      TypedObjectReference,
      "Object, possibly in another namespace, to populate the volume from.",
    ),
    volumeAttributesClassName: str("VolumeAttributesClass applied to the claim."),
  },
);

export const PersistentVolumeClaimTemplate: Schema = definition(
  "io.k8s.api.core.v1.PersistentVolumeClaimTemplate",
  "Template used to create a PersistentVolumeClaim.",
  {
    metadata: ref(ObjectMeta, "Labels and annotations copied to the created claim."),
    spec: ref(PersistentVolumeClaimSpec, "The specification of the created claim."),
  },
  { required: ["spec"] },
);

export const EphemeralVolumeSource: Schema = definition(
  "io.k8s.api.core.v1.EphemeralVolumeSource",
  "A volume provisioned by a storage driver for the lifetime of the pod.",
  {
    volumeClaimTemplate: ref(PersistentVolumeClaimTemplate, "Template of the claim created for the pod."),
  },
);

export const ImageVolumeSource: Schema = definition(
  "io.k8s.api.core.v1.ImageVolumeSource",
  "An OCI image or artifact used as a volume.",
  {
    reference: str("Image or artifact reference."),
    pullPolicy: str("When to pull the reference: Always, Never or IfNotPresent.", {
      enum: ["Always", "IfNotPresent", "Never"],
    }),
  },
);

export const Volume: Schema = definition(
  "io.k8s.api.core.v1.Volume",
  "A named volume that containers of the pod can mount.",
  {
    name: str("Volume name, unique within the pod."),
    hostPath: ref(HostPathVolumeSource, "A file or directory on the node."),
    emptyDir: ref(EmptyDirVolumeSource, "A scratch directory that lives as long as the pod."),
    gcePersistentDisk: ref(GCEPersistentDiskVolumeSource, "Deprecated GCE persistent disk."),
    awsElasticBlockStore: ref(AWSElasticBlockStoreVolumeSource, "Deprecated AWS EBS disk."),
    gitRepo: ref(GitRepoVolumeSource, "Deprecated git repository checkout."),
    secret: ref(SecretVolumeSource, "Files from a Secret."),
    nfs: ref(NFSVolumeSource, "An NFS export."),
    iscsi: ref(ISCSIVolumeSource, "An iSCSI disk."),
    glusterfs: ref(GlusterfsVolumeSource, "Deprecated Glusterfs mount."),
    persistentVolumeClaim: ref(
      PersistentVolumeClaimVolumeSource,
      "A PersistentVolumeClaim in the pod's namespace.",
    ),
    rbd: ref(RBDVolumeSource, "Deprecated Rados block device."),
    flexVolume: ref(FlexVolumeSource, "Deprecated exec-based volume plugin."),
    cinder: ref(CinderVolumeSource, "Deprecated OpenStack Cinder volume."),
    cephfs: ref(CephFSVolumeSource, "Deprecated CephFS mount."),
    flocker: ref(FlockerVolumeSource, "Deprecated Flocker volume."),
    downwardAPI: ref(DownwardAPIVolumeSource, "Files holding pod metadata and resource values."),
    fc: ref(FCVolumeSource, "A Fibre Channel disk."),
    azureFile: ref(AzureFileVolumeSource, "Deprecated Azure File share."),
    configMap: ref(ConfigMapVolumeSource, "Files from a ConfigMap."),
    vsphereVolume: ref(VsphereVirtualDiskVolumeSource, "Deprecated vSphere disk."),
    quobyte: ref(QuobyteVolumeSource, "Deprecated Quobyte mount."),
    azureDisk: ref(AzureDiskVolumeSource, "Deprecated Azure data disk."),
    photonPersistentDisk: ref(PhotonPersistentDiskVolumeSource, "Deprecated Photon Controller disk."),
    projected: ref(ProjectedVolumeSource, "Several sources combined into one directory."),
    portworxVolume: ref(PortworxVolumeSource, "Deprecated Portworx volume."),
    scaleIO: ref(ScaleIOVolumeSource, "Deprecated ScaleIO volume."),
    storageos: ref(StorageOSVolumeSource, "Deprecated StorageOS volume."),
    csi: ref(CSIVolumeSource, "An inline volume provided by a CSI driver."),
    ephemeral: ref(
      EphemeralVolumeSource,
      "A volume provisioned from a claim template for the pod's lifetime.",
    ),
    image: ref(ImageVolumeSource, "An OCI image or artifact mounted read-only."),
  },
  { required: ["name"] },
);
