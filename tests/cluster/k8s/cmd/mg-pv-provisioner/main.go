// Command mg-pv-provisioner is the test harness's stand-in for a storage
// provisioner. The local control plane (tests/cluster/cluster.sh) has no
// kubelets and no CSI driver, so nothing would ever satisfy a
// PersistentVolumeClaim. This program watches PVCs of any storage class and,
// for every Pending claim without a volume, creates a hostPath
// PersistentVolume pre-bound to it (spec.claimRef). kube-controller-manager's
// persistentvolume-binder controller then completes the binding exactly as it
// does for an external provisioner, so claims reach phase Bound through the
// real control loop.
//
// Claims whose StorageClass uses volumeBindingMode WaitForFirstConsumer are
// provisioned only after kube-scheduler has picked a node (the
// volume.kubernetes.io/selected-node annotation); the volume then gets node
// affinity to that node, as a local volume would (ReadWriteMany and ReadOnlyMany volumes, shared
// file storage, get none). Volumes this program created
// are deleted once they are Released (reclaim policy Delete).
//
// Each volume's directory is made here, world-writable, before its PV, as
// rancher's local-path-provisioner does: hostPath volumes get no fsGroup
// ownership change from the kubelet, and pods on the real nodes
// (cluster.sh up real) run as non-root users that must write there. On kwok
// nodes nothing is ever written to them.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"path"
	"syscall"
	"time"

	corev1 "k8s.io/api/core/v1"
	storagev1 "k8s.io/api/storage/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes"
	corelisters "k8s.io/client-go/listers/core/v1"
	storagelisters "k8s.io/client-go/listers/storage/v1"
	"k8s.io/client-go/tools/cache"
	"k8s.io/client-go/tools/clientcmd"
	"k8s.io/client-go/util/workqueue"
)

const (
	annProvisionedBy = "pv.kubernetes.io/provisioned-by"
	annSelectedNode  = "volume.kubernetes.io/selected-node"
	labelManaged     = "multigres.test/fake-hostpath"
)

type provisioner struct {
	name   string
	root   string
	client kubernetes.Interface
	pvcs   corelisters.PersistentVolumeClaimLister
	pvs    corelisters.PersistentVolumeLister
	scs    storagelisters.StorageClassLister
	queue  workqueue.TypedRateLimitingInterface[string]
}

func main() {
	kubeconfig := flag.String("kubeconfig", "", "path to a kubeconfig")
	name := flag.String("provisioner-name", "multigres.test/fake-hostpath", "value recorded in "+annProvisionedBy)
	root := flag.String("root", "/tmp/mg-pv", "directory under which hostPath volumes are named (never written)")
	flag.Parse()
	log.SetFlags(log.LstdFlags | log.Lmicroseconds)

	cfg, err := clientcmd.BuildConfigFromFlags("", *kubeconfig)
	if err != nil {
		log.Fatalf("kubeconfig: %v", err)
	}
	cfg.UserAgent = "mg-pv-provisioner"
	client, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		log.Fatalf("client: %v", err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	factory := informers.NewSharedInformerFactory(client, 30*time.Second)
	pvcInf := factory.Core().V1().PersistentVolumeClaims()
	pvInf := factory.Core().V1().PersistentVolumes()
	scInf := factory.Storage().V1().StorageClasses()
	p := &provisioner{
		name:   *name,
		root:   *root,
		client: client,
		pvcs:   pvcInf.Lister(),
		pvs:    pvInf.Lister(),
		scs:    scInf.Lister(),
		queue: workqueue.NewTypedRateLimitingQueue(
			workqueue.DefaultTypedControllerRateLimiter[string]()),
	}
	enqueue := func(prefix string) func(obj any) {
		return func(obj any) {
			if key, err := cache.MetaNamespaceKeyFunc(obj); err == nil {
				p.queue.Add(prefix + key)
			}
		}
	}
	handler := func(prefix string) cache.ResourceEventHandlerFuncs {
		return cache.ResourceEventHandlerFuncs{
			AddFunc:    enqueue(prefix),
			UpdateFunc: func(_, obj any) { enqueue(prefix)(obj) },
		}
	}
	if _, err := pvcInf.Informer().AddEventHandler(handler("pvc/")); err != nil {
		log.Fatal(err)
	}
	if _, err := pvInf.Informer().AddEventHandler(handler("pv/")); err != nil {
		log.Fatal(err)
	}
	scInf.Informer() // register before Start
	factory.Start(ctx.Done())
	for typ, ok := range factory.WaitForCacheSync(ctx.Done()) {
		if !ok {
			log.Fatalf("cache for %v did not sync", typ)
		}
	}
	log.Printf("mg-pv-provisioner %q running", p.name)

	go func() {
		<-ctx.Done()
		p.queue.ShutDown()
	}()
	for p.processNext(ctx) {
	}
	factory.Shutdown()
}

func (p *provisioner) processNext(ctx context.Context) bool {
	key, quit := p.queue.Get()
	if quit {
		return false
	}
	defer p.queue.Done(key)
	var err error
	switch {
	case len(key) > 4 && key[:4] == "pvc/":
		err = p.syncClaim(ctx, key[4:])
	case len(key) > 3 && key[:3] == "pv/":
		err = p.syncVolume(ctx, key[3:])
	}
	if err != nil {
		log.Printf("sync %s: %v (will retry)", key, err)
		p.queue.AddRateLimited(key)
		return true
	}
	p.queue.Forget(key)
	return true
}

func (p *provisioner) syncClaim(ctx context.Context, key string) error {
	ns, name, err := cache.SplitMetaNamespaceKey(key)
	if err != nil {
		return nil
	}
	pvc, err := p.pvcs.PersistentVolumeClaims(ns).Get(name)
	if apierrors.IsNotFound(err) {
		return nil
	} else if err != nil {
		return err
	}
	// A new claim has an empty phase until the persistentvolume-binder marks it Pending.
	if pvc.DeletionTimestamp != nil || pvc.Spec.VolumeName != "" ||
		(pvc.Status.Phase != "" && pvc.Status.Phase != corev1.ClaimPending) {
		return nil
	}
	if pvc.Spec.Selector != nil || pvc.Spec.DataSource != nil {
		// Not supported by this fake; leave it Pending so a test notices.
		return nil
	}
	class := ""
	if pvc.Spec.StorageClassName != nil {
		class = *pvc.Spec.StorageClassName
	}
	node := ""
	if class != "" {
		sc, err := p.scs.Get(class)
		if err != nil && !apierrors.IsNotFound(err) {
			return err
		}
		if sc != nil && sc.VolumeBindingMode != nil && *sc.VolumeBindingMode == storagev1.VolumeBindingWaitForFirstConsumer {
			node = pvc.Annotations[annSelectedNode]
			if node == "" {
				return nil // wait for the scheduler to pick a node
			}
		}
	}

	pvName := "pvc-" + string(pvc.UID)
	if _, err := p.pvs.Get(pvName); err == nil {
		return nil
	}
	size, ok := pvc.Spec.Resources.Requests[corev1.ResourceStorage]
	if !ok || size.IsZero() {
		size = resource.MustParse("1Gi")
	}
	modes := pvc.Spec.AccessModes
	if len(modes) == 0 {
		modes = []corev1.PersistentVolumeAccessMode{corev1.ReadWriteOnce}
	}
	dir := path.Join(p.root, pvName)
	if err := os.MkdirAll(dir, 0o777); err != nil {
		return fmt.Errorf("volume dir for PV %s: %w", pvName, err)
	}
	if err := os.Chmod(dir, 0o777); err != nil { // MkdirAll's mode is filtered by the umask
		return fmt.Errorf("volume dir for PV %s: %w", pvName, err)
	}
	dirType := corev1.HostPathDirectory
	pv := &corev1.PersistentVolume{
		ObjectMeta: metav1.ObjectMeta{
			Name:        pvName,
			Labels:      map[string]string{labelManaged: "true"},
			Annotations: map[string]string{annProvisionedBy: p.name},
		},
		Spec: corev1.PersistentVolumeSpec{
			Capacity:                      corev1.ResourceList{corev1.ResourceStorage: size},
			AccessModes:                   modes,
			VolumeMode:                    pvc.Spec.VolumeMode,
			StorageClassName:              class,
			PersistentVolumeReclaimPolicy: corev1.PersistentVolumeReclaimDelete,
			ClaimRef: &corev1.ObjectReference{
				APIVersion: "v1",
				Kind:       "PersistentVolumeClaim",
				Namespace:  pvc.Namespace,
				Name:       pvc.Name,
				UID:        pvc.UID,
			},
			PersistentVolumeSource: corev1.PersistentVolumeSource{
				HostPath: &corev1.HostPathVolumeSource{Path: dir, Type: &dirType},
			},
		},
	}
	// Shared file storage (EFS, Filestore, NFS) is reachable from every node, so a ReadWriteMany or
	// ReadOnlyMany volume is not pinned to its first consumer's node; only node-local (ReadWriteOnce)
	// volumes are.
	if node != "" && !shared(modes) {
		pv.Spec.NodeAffinity = &corev1.VolumeNodeAffinity{Required: &corev1.NodeSelector{
			NodeSelectorTerms: []corev1.NodeSelectorTerm{{
				MatchExpressions: []corev1.NodeSelectorRequirement{{
					Key: corev1.LabelHostname, Operator: corev1.NodeSelectorOpIn, Values: []string{node},
				}},
			}},
		}}
	}
	_, err = p.client.CoreV1().PersistentVolumes().Create(ctx, pv, metav1.CreateOptions{})
	if apierrors.IsAlreadyExists(err) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("create PV %s: %w", pvName, err)
	}
	log.Printf("created PV %s (%s, class %q, node %q) for claim %s/%s", pvName, size.String(), class, node, ns, name)
	return nil
}

// shared reports whether a volume with these access modes is mounted by pods on many nodes.
func shared(modes []corev1.PersistentVolumeAccessMode) bool {
	for _, m := range modes {
		if m == corev1.ReadWriteMany || m == corev1.ReadOnlyMany {
			return true
		}
	}
	return false
}

func (p *provisioner) syncVolume(ctx context.Context, name string) error {
	pv, err := p.pvs.Get(name)
	if apierrors.IsNotFound(err) {
		return nil
	} else if err != nil {
		return err
	}
	if pv.Annotations[annProvisionedBy] != p.name || pv.Labels[labelManaged] != "true" || pv.DeletionTimestamp != nil {
		return nil
	}
	if pv.Status.Phase != corev1.VolumeReleased || pv.Spec.PersistentVolumeReclaimPolicy != corev1.PersistentVolumeReclaimDelete {
		return nil
	}
	err = p.client.CoreV1().PersistentVolumes().Delete(ctx, name, metav1.DeleteOptions{
		Preconditions: &metav1.Preconditions{UID: &pv.UID},
	})
	if err != nil && !apierrors.IsNotFound(err) {
		return fmt.Errorf("delete released PV %s: %w", name, err)
	}
	log.Printf("deleted released PV %s", name)
	return nil
}
