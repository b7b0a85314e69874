// SPDX-License-Identifier: GPL-3.0-or-later
// File → Capture Live, offscreen and without capture rights: the dialog lists the interfaces with the
// features `ethtool -k` shows, a live trace replaces its previous snapshot in the document instead of
// piling up, and a capture that cannot start says which interface and why. (Capturing itself is tested
// as root in network namespaces by tests/capture_lab.py.)
#include "capturedialog.h"
#include "loader.h"
#include "tracedocument.h"

#include <QComboBox>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>

using namespace ol;
using namespace Qt::StringLiterals;

class TestCaptureDialog : public QObject
{
    Q_OBJECT

private slots:
    void listsInterfacesWithTheirFeatures()
    {
        TraceDocument doc;
        CaptureDialog dialog(&doc);
        auto *box = dialog.findChild<QComboBox *>();
        QVERIFY(box);
        // Every Linux host has lo; its features are what the kernel reports (tso/gso on for lo).
        const int lo = box->findData(u"lo"_s);
        QVERIFY2(lo >= 0, "lo is not listed");
        box->setCurrentIndex(lo);
        bool shown = false;
        for (QLabel *l : dialog.findChildren<QLabel *>())
            shown |= l->text().contains(u"MTU 65536"_s) && l->text().contains(u"tso "_s);
        QVERIFY2(shown, "the features of lo are not shown");
    }

    void aCaptureThatCannotStartSaysWhy()
    {
        TraceDocument doc;
        CaptureDialog dialog(&doc);
        dialog.show();
        dialog.startOn(u"ol-no-such0"_s);
        QVERIFY(dialog.statusText().contains(u"No interface called ol-no-such0"_s));
        QCOMPARE(doc.traceCount(), 0);
    }

    void aSnapshotReplacesThePreviousOne()
    {
        // Two "snapshots" of one live capture (same name): the document keeps one entry, the newest.
        TraceDocument doc;
        for (const char *file : {"gen_tso_on_gro_off_server.pcap", "gen_tso_off_gro_off_server.pcap"}) {
            LoadResult r = loadTrace(std::string(OFFLOADLENS_TEST_DATA "/") + file);
            QVERIFY2(r.trace, r.error.c_str());
            r.trace->path = "veth0 (live capture)";
            doc.addOrReplace(r.trace);
        }
        QCOMPARE(doc.traceCount(), 1);
        QCOMPARE(doc.currentTraceIndex(), 0);
        QCOMPARE(doc.trace(0)->connections.front()->directions[1].offload.sendOffload, 0u); // the TSO-off one
    }
};

QTEST_MAIN(TestCaptureDialog)
#include "tst_capturedialog.moc"
