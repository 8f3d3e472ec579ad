#!/usr/bin/env bash
# Real-kernel tests: boots Linux with VFIO type1, iommufd and the vfio device cdev under QEMU (TCG, emulated Intel
# IOMMU, QEMU's edu device bound to vfio-pci) and runs the real-kernel JUnit suites in it on the host's java.
#
#   it/real-kernel/run.sh            from the repository root or anywhere; needs root (apt-get, the kernel cache)
#
# From a fresh machine it installs the Debian packages it needs, builds the guest kernel once (about 9 minutes on
# 2 cores, cached in $GUESTMEM_CACHE, default /var/cache/guestmem, keyed by kernel.config), builds the initramfs,
# compiles the reactor and the test classes, boots the VM and prints JUnit's counts per suite. Exit status is 0
# only if every test ran and passed; the VM not starting, not finishing, a missing device, a failed or skipped test
# or an empty run are all failures.
#
# Environment: GUESTMEM_CACHE, GUESTMEM_JOBS (make -j for the kernel), GUESTMEM_VM_TIMEOUT (seconds, default
# 1500), GUESTMEM_IT_SELECT (extra JUnit console-launcher selectors, e.g. "--include-classname=.*Smoke.*"), and
# those of kernel.sh.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
cache="${GUESTMEM_CACHE:-/var/cache/guestmem}"
vm_timeout="${GUESTMEM_VM_TIMEOUT:-1500}"
t0=$SECONDS
phase_start=$SECONDS
timings=()

log() { echo "[real-kernel] $*"; }
die() { echo "[real-kernel] FAIL: $*"; exit 1; }
phase_done() {
  timings+=("$(printf '%-22s %4d s' "$1" $((SECONDS - phase_start)))")
  phase_start=$SECONDS
}

# 1. Packages ---------------------------------------------------------------------------------------------------
# qemu and a static busybox for the VM; the rest to build the kernel.
need=()
for pkg in qemu-system-x86 busybox-static gcc make libc6-dev flex bison libelf-dev cpio bc libssl-dev xz-utils gzip; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'ok installed' || need+=("$pkg")
done
if ((${#need[@]})); then
  log "installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q "${need[@]}" >/dev/null 2>&1 \
    || { apt-get update -q >/dev/null && apt-get install -y -q "${need[@]}" >/dev/null; } \
    || die "apt-get install ${need[*]} failed"
fi
phase_done packages

# 2. Kernel (cached) ----------------------------------------------------------------------------------------------
bzimage="$("$here/kernel.sh")" || die "no guest kernel"
phase_done kernel

# 3. Initramfs: static busybox and our /init, cached by their content --------------------------------------------
initrd_key="$(cat /bin/busybox "$here/init" | sha256sum | cut -c1-16)"
initrd="$cache/initramfs-$initrd_key.cpio.gz"
if [[ ! -s "$initrd" ]]; then
  staging="$(mktemp -d)"
  mkdir -p "$staging/bin"
  cp /bin/busybox "$staging/bin/busybox"
  cp "$here/init" "$staging/init"
  chmod 755 "$staging/init" "$staging/bin/busybox"
  (cd "$staging" && find . | cpio -o -H newc --quiet | gzip -9) > "$initrd.tmp"
  mv "$initrd.tmp" "$initrd"
  rm -rf "$staging"
fi
phase_done initramfs

# 4. Classes: the reactor's main and test classes, the launcher's jars, the real-kernel tests, the CLI jar ----------
job="$(mktemp -d /tmp/guestmem-it.XXXXXX)"
log "job directory $job"
(cd "$repo" && mvn -B -ntp -q package -DskipTests -Dmaven.javadoc.skip=true -Dmaven.source.skip=true) \
  || die "mvn package failed"
mvn -B -ntp -q -f "$here/pom.xml" dependency:copy-dependencies -DincludeScope=runtime \
  -DoutputDirectory="$job/lib" || die "could not fetch the launcher's jars"
# Copy the reactor's classes into the job directory: the guest sees the host's / except /tmp and /run (fresh tmpfs
# there), so a checkout under /tmp would be invisible, and JUnit's class-path scan silently drops test classes
# whose dependencies cannot be loaded.
reactor_cp=""
for module in core linux-uapi backend-bitmap backend-intervaltree backend-vfio-type1 backend-iommufd; do
  for kind in classes test-classes; do
    if [[ -d "$repo/$module/target/$kind" ]]; then
      mkdir -p "$job/reactor/$module"
      cp -r "$repo/$module/target/$kind" "$job/reactor/$module/$kind"
      reactor_cp+="$job/reactor/$module/$kind:"
    fi
  done
done
lib_cp="$(find "$job/lib" -name '*.jar' | sort | tr '\n' ':')"
mapfile -t sources < <(find "$here/src/test/java" -name '*.java' | sort)
((${#sources[@]})) || die "no test sources under $here/src/test/java"
javac -Xlint:all -Werror --release 17 -d "$job/classes" -cp "${reactor_cp}${lib_cp}" "${sources[@]}" \
  || die "javac of the real-kernel tests failed"
cp "$repo/benchmarks/target/guestmem.jar" "$job/guestmem.jar" || die "no command-line jar"
java_bin="$(readlink -f "$(command -v java)")"
cat > "$job/job.env" <<EOF
JAVA='$java_bin'
LAUNCHER_CP='${lib_cp%:}'
TEST_CP='$job/classes:${reactor_cp%:}'
TEST_ROOTS='$job/classes'
SELECT='${GUESTMEM_IT_SELECT:-}'
CLI_JAR='$job/guestmem.jar'
EOF
cp "$here/guest-job.sh" "$job/job"
phase_done "compile tests"

# 5. Boot -----------------------------------------------------------------------------------------------------------
log "booting $bzimage (TCG, intel-iommu, edu) with a ${vm_timeout} s limit"
set +e
# -device intel-iommu must come before the devices it translates. The serial console is filtered of the escape
# sequences SeaBIOS writes.
timeout --foreground -k 10 "$vm_timeout" qemu-system-x86_64 \
  -machine q35,accel=tcg,kernel-irqchip=split -cpu max -smp 2 -m 2G \
  -device intel-iommu,intremap=on,caching-mode=on \
  -fsdev local,id=hostroot,path=/,readonly=on,security_model=none,multidevs=remap \
  -device virtio-9p-pci,fsdev=hostroot,mount_tag=hostroot \
  -fsdev local,id=job,path="$job",security_model=none,multidevs=remap \
  -device virtio-9p-pci,fsdev=job,mount_tag=job \
  -device edu \
  -kernel "$bzimage" -initrd "$initrd" \
  -append "console=ttyS0 panic=-1 quiet intel_iommu=on guestmem.job=$job" \
  -nographic -no-reboot -nodefaults -serial stdio -monitor none </dev/null 2>&1 \
  | sed -u -e 's/\x1b\[[0-9;?]*[A-Za-z]//g' -e 's/\x1b[c()][0-9A-Za-z]\?//g' -e 's/\r$//' \
  | tee "$job/console.log"
qemu_status=${PIPESTATUS[0]}
set -e
phase_done "VM run"

# 6. Verdict ------------------------------------------------------------------------------------------------------
verdict=0
if [[ ! -f "$job/exit-code" ]]; then
  log "FAIL: the VM did not finish its job (qemu/timeout status $qemu_status; 124 = timed out); console in $job/console.log"
  verdict=1
else
  job_status="$(cat "$job/exit-code")"
  [[ "$job_status" == 0 ]] || { log "FAIL: the job in the VM exited with $job_status"; verdict=1; }
  echo "[real-kernel] result lines from the VM:"
  grep -E '^(differential|edu-dma|type1|cli):' "$job/console.log" | sed 's/^/  /' || true
  # Every test class compiled must show up in the report: a class the scan could not load would otherwise vanish.
  mapfile -t suites < <(find "$here/src/test/java" -name '*Test.java' -printf '%f\n' | sed 's/\.java$//' | sort)
  java "$here/ReportSummary.java" "$job/reports" "$here/expected-skips.txt" "${suites[@]}" || verdict=1
fi
phase_done verdict

log "timing:"
for t in "${timings[@]}"; do echo "  $t"; done
printf '  %-22s %4d s\n' total $((SECONDS - t0))
if ((verdict == 0)); then
  log "PASS (job directory $job)"
  rm -rf "$job/lib" "$job/classes" "$job/reactor"
else
  log "FAIL (job directory $job kept: console.log, reports/, dmesg.txt)"
fi
exit $verdict
