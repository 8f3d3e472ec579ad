#!/bin/sh
# Runs inside the guestmem real-kernel VM, chrooted into the host's / (read-only), as "<job dir>/job".
# run.sh writes <job dir>/job.env (JAVA, the class path, the test roots) next to this script.
#
# Binds QEMU's edu device (1234:11e8) to vfio-pci, checks that the VFIO and iommufd device nodes appeared, then runs
# the real-kernel tests with JUnit's console launcher on the host's java, then the command line's replay with
# --kernel real. Exit status: non-zero on any test failure, if no test ran, or if a replay did not end as expected;
# 3 if the devices are not there.
set -u
. "$GUESTMEM_JOB/job.env"

echo "guestmem-vm: kernel $(uname -r), $(nproc) CPUs, $(awk '/MemTotal/ {print $2 / 1024 " MiB"}' /proc/meminfo)"

edu=""
for dev in /sys/bus/pci/devices/*; do
  if [ "$(cat "$dev/vendor")" = 0x1234 ] && [ "$(cat "$dev/device")" = 0x11e8 ]; then edu="${dev##*/}"; fi
done
if [ -z "$edu" ]; then echo "guestmem-vm: FAIL: no edu device (1234:11e8) on the PCI bus"; exit 3; fi
echo vfio-pci > "/sys/bus/pci/devices/$edu/driver_override"
echo "$edu" > /sys/bus/pci/drivers_probe
driver="$(basename "$(readlink "/sys/bus/pci/devices/$edu/driver")")"
if [ "$driver" != vfio-pci ]; then echo "guestmem-vm: FAIL: edu $edu bound to '$driver', not vfio-pci"; exit 3; fi
group="$(basename "$(readlink "/sys/bus/pci/devices/$edu/iommu_group")")"
cdev="/dev/vfio/devices/$(ls "/sys/bus/pci/devices/$edu/vfio-dev/")"
for node in /dev/vfio/vfio "/dev/vfio/$group" "$cdev" /dev/iommu; do
  if [ ! -c "$node" ]; then echo "guestmem-vm: FAIL: $node is missing"; exit 3; fi
done
echo "guestmem-vm: edu $edu bound to vfio-pci, group /dev/vfio/$group, cdev $cdev, /dev/iommu present"

# C1 only and the serial collector: the JVM starts noticeably faster under TCG emulation.
"$JAVA" -XX:TieredStopAtLevel=1 -Dpicocli.usage.width=120 -XX:+UseSerialGC -Xmx768m -Djna.tmpdir=/tmp -Djava.io.tmpdir=/tmp \
  -Dguestmem.dma.kernel=real \
  -Dguestmem.test.vm.edu="$edu" -Dguestmem.test.vm.group="/dev/vfio/$group" -Dguestmem.test.vm.cdev="$cdev" \
  -cp "$LAUNCHER_CP" org.junit.platform.console.ConsoleLauncher execute \
  --disable-banner --disable-ansi-colors --details=tree --fail-if-no-tests \
  --config=junit.jupiter.execution.timeout.default=600s \
  --reports-dir="$GUESTMEM_JOB/reports" \
  --class-path "$TEST_CP" --scan-class-path "$TEST_ROOTS" \
  $SELECT
status=$?

# The command line's replay on the real kernel: the same manager, mapping listener and back-ends as the embedded
# default, with a real anonymous backing that the kernel pins, --verify after every conversion and the end check
# that nothing stays mapped or pinned. 128 MiB keeps granule under type1's default dma_entry_limit (65535) and
# the pins well inside the VM's memory. type1 cannot cut a mapping, so coalesce there must be refused (exit 2);
# hugepage-2m and dynamic-dma make the listener map, unmap and (iommufd coalesce) cut. Granule makes one ioctl per
# 4 KiB (about 80,000 for 250 ops), slow under TCG, hence fewer ops there.
if [ -n "${CLI_JAR:-}" ]; then
  for run in vfio-type1:granule:0:hugepage-2m:250 vfio-type1:coalesce:2:hugepage-2m:250 \
      iommufd:granule:0:hugepage-2m:250 iommufd:coalesce:0:hugepage-2m:1000:edu \
      iommufd:coalesce:0:dynamic-dma:3000:edu; do
    set -- $(echo "$run" | tr : ' ')
    dma="$1" mapping="$2" want="$3" workload="$4" ops="$5"
    # ":edu": the IOAS gets edu's cdev attached, so the kernel programs the vIOMMU and pins the pages.
    device=""
    if [ "${6:-}" = edu ]; then device="--dma-option=iommufd:device=$cdev"; fi
    out="$GUESTMEM_JOB/cli-$dma-$mapping-$workload"
    "$JAVA" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx512m -Djna.tmpdir=/tmp -Djava.io.tmpdir=/tmp \
      -jar "$CLI_JAR" replay --workload "$workload" --ops "$ops" --size 128M --seed 7 --store intervaltree \
      --dma "$dma" --mapping "$mapping" --kernel real $device --verify --json "$out.json" >"$out.txt" 2>&1
    rc=$?
    summary="$(grep -E '^(dma|map/unmap/cut|DMA entries|pinned|invariant) ' "$out.txt" | tr -s ' ' | paste -sd ';' -)"
    if [ "$rc" = "$want" ]; then verdict=ok; else verdict=FAIL; status=1; fi
    echo "cli: $verdict replay $workload --ops $ops 128M $dma $mapping --kernel real --verify: exit $rc (expected $want); ${summary:-$(tail -n 1 "$out.txt")}"
  done
fi
dmesg > "$GUESTMEM_JOB/dmesg.txt" 2>&1
exit $status
