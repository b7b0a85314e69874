// SPDX-License-Identifier: GPL-3.0-or-later
// The capture dialog (see capturedialog.h). Analysis stays in the core: this only collects settings, starts
// the session and hands its traces to the document.
#include "capturedialog.h"

#include "interfaceinfo.h"
#include "livecapturesession.h"
#include "offloadtext.h"
#include "tracedocument.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace ol {

using namespace Qt::StringLiterals;

namespace {

QString featureSummary(const InterfaceInfo &i)
{
    QStringList parts;
    for (const InterfaceFeature &f : i.features)
        parts << QString::fromStdString(f.name) + u' ' + (f.on ? (*f.on ? u"on"_s : u"off"_s) : u"?"_s);
    // Three short lines (no word wrap: a wrapped label in a form row gets too little height).
    QString s = u"MTU %1\n"_s.arg(i.mtu ? QString::number(*i.mtu) : u"?"_s) + parts.mid(0, 4).join(u" · "_s) + u"\n"_s
        + parts.mid(4).join(u" · "_s);
    if (!i.note.empty())
        s += u"\n"_s + QString::fromStdString(i.note);
    return s;
}

} // namespace

CaptureDialog::CaptureDialog(TraceDocument *document, QWidget *parent)
    : QDialog(parent)
    , m_document(document)
    , m_session(new LiveCaptureSession(this))
    , m_interface(new QComboBox(this))
    , m_features(new QLabel(this))
    , m_features2(new QLabel(this))
    , m_duration(new QDoubleSpinBox(this))
    , m_filter(new QLineEdit(this))
    , m_write(new QLineEdit(this))
    , m_status(new QLabel(this))
    , m_start(new QPushButton(u"&Start"_s, this))
    , m_stop(new QPushButton(u"S&top"_s, this))
{
    setWindowTitle(u"Capture"_s);
    std::string error;
    for (const InterfaceInfo &i : listInterfaces(error)) {
        if (!i.mtu && i.name != "any")
            continue; // bluetooth, dbus, nflog ...: nothing TCP runs over
        m_interface->addItem(QString::fromStdString(i.name) + (i.up ? QString() : u" (down)"_s),
                             QString::fromStdString(i.name));
        m_interface->setItemData(m_interface->count() - 1, featureSummary(i), Qt::ToolTipRole);
    }
    if (!error.empty())
        m_status->setText(u"Cannot list interfaces: "_s + QString::fromStdString(error));
    m_features->setMinimumWidth(fontMetrics().averageCharWidth() * 52);
    m_features->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_features2->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_duration->setRange(1, 3600);
    m_duration->setValue(10);
    m_duration->setSuffix(u" s"_s);
    m_filter->setPlaceholderText(u"BPF, e.g. tcp port 443 (empty: everything)"_s);
    m_write->setPlaceholderText(u"optional: keep the capture as a .pcapng file"_s);
    auto *browse = new QPushButton(u"…"_s, this);
    browse->setToolTip(u"Choose the pcapng file to keep the capture in"_s);
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, u"Keep the capture as"_s, m_write->text(),
                                                          u"pcapng (*.pcapng)"_s);
        if (!path.isEmpty())
            m_write->setText(path);
    });
    auto *writeRow = new QHBoxLayout;
    writeRow->addWidget(m_write, 1);
    writeRow->addWidget(browse);
    auto *form = new QFormLayout;
    form->addRow(u"&Interface:"_s, m_interface);
    form->addRow(u"Kernel says:"_s, m_features);
    form->addRow(QString(), m_features2);
    form->addRow(u"&Duration:"_s, m_duration);
    form->addRow(u"&Filter:"_s, m_filter);
    form->addRow(u"Write to:"_s, writeRow);
    m_status->setWordWrap(true);
    auto *buttons = new QDialogButtonBox(this);
    buttons->addButton(m_start, QDialogButtonBox::ActionRole);
    buttons->addButton(m_stop, QDialogButtonBox::ActionRole);
    buttons->addButton(QDialogButtonBox::Close);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->setSizeConstraint(QLayout::SetMinimumSize); // never smaller than the feature lines need
    layout->addLayout(form);
    layout->addWidget(m_status);
    layout->addWidget(buttons);

    connect(m_interface, &QComboBox::currentIndexChanged, this, &CaptureDialog::showFeatures);
    connect(m_start, &QPushButton::clicked, this, &CaptureDialog::startCapture);
    connect(m_stop, &QPushButton::clicked, m_session, &LiveCaptureSession::stop);
    connect(m_session, &LiveCaptureSession::progressed, this, [this](quint64 packets, double seconds) {
        m_status->setText(u"Capturing on %1: %2 packets, %3 of %4 s. The main window shows the traffic so far."_s.arg(
            m_interface->currentData().toString(), text::thousands(packets), QString::number(seconds, 'f', 1),
            QString::number(m_duration->value(), 'f', 0)));
    });
    connect(m_session, &LiveCaptureSession::snapshotReady, m_document, &TraceDocument::addOrReplace);
    connect(m_session, &LiveCaptureSession::finished, this,
            [this](std::shared_ptr<const Trace> trace, const QString &error, bool permission) {
                setRunning(false);
                if (!trace) {
                    m_status->setText(
                        error
                        + (permission ? u"\n(The GUI needs the same rights as the capture command.)"_s : QString()));
                    return;
                }
                m_document->addOrReplace(trace);
                const QString sentence = trace->interface ? QString::fromStdString(trace->interface->comparison)
                                                          : QString();
                m_status->setText(u"Done: %1 packets. %2"_s.arg(text::thousands(trace->counts.packets), sentence));
            });
    showFeatures();
    setRunning(false);
}

void CaptureDialog::showFeatures()
{
    const QString tip = m_interface->currentData(Qt::ToolTipRole).toString();
    // One line per label: MTU and the first four features, then the rest.
    const QStringList lines = tip.split(u'\n');
    m_features->setText(tip.isEmpty() ? u"—"_s : lines.value(0) + u" · "_s + lines.value(1));
    m_features2->setText(lines.value(2));
}

void CaptureDialog::setRunning(bool running)
{
    m_start->setEnabled(!running && m_interface->count() > 0);
    m_stop->setEnabled(running);
    for (QWidget *w : std::initializer_list<QWidget *>{m_interface, m_duration, m_filter, m_write})
        w->setEnabled(!running);
}

void CaptureDialog::startCapture()
{
    LiveCaptureOptions o;
    o.interface = m_interface->currentData().toString().toStdString();
    o.seconds = m_duration->value();
    o.filter = m_filter->text().trimmed().toStdString();
    o.writePath = m_write->text().trimmed().toStdString();
    m_status->setText(u"Starting on %1…"_s.arg(QString::fromStdString(o.interface)));
    setRunning(true);
    m_session->start(std::move(o));
}

void CaptureDialog::startOn(const QString &name)
{
    const int i = m_interface->findData(name);
    if (i < 0) {
        m_status->setText(u"No interface called %1 (capture --list shows them)."_s.arg(name));
        return;
    }
    m_interface->setCurrentIndex(i);
    startCapture();
}

QString CaptureDialog::statusText() const
{
    return m_status->text();
}

} // namespace ol
